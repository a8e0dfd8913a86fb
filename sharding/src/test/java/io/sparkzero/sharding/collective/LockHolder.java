package io.sparkzero.sharding.collective;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A JVM that takes an Aeron directory's lock and names a new driver in it, as an executor taking
 * over a dead driver does, but starts no driver: it says {@code locked} on stdout, holds the lock
 * for the given milliseconds and exits (the lock goes with it). {@code LockHolder <aeron dir> <ms>}.
 */
public final class LockHolder {
  private LockHolder() {}

  public static void main(String[] args) throws Exception {
    Path lockFile = EmbeddedDriver.lockFile(Path.of(args[0]));
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
        FileLock lock = channel.lock()) {
      channel.truncate(0);
      channel.write(ByteBuffer.wrap("a-driver-still-starting\n".getBytes(StandardCharsets.US_ASCII)), 0);
      channel.force(false);
      System.out.println("locked");
      System.out.flush();
      Thread.sleep(Long.parseLong(args[1]));
    }
  }
}
