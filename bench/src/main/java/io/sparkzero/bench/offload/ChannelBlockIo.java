package io.sparkzero.bench.offload;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Blocks read and written with positional {@link FileChannel} calls, as {@code FileTier} does:
 * through the page cache, or with {@code O_DIRECT} (then buffers, offsets and sizes must be
 * multiples of {@link OffloadIoBenchmark#ALIGN_BYTES}).
 */
final class ChannelBlockIo implements BlockIo {
  private final Path file;
  private final FileChannel channel;
  private final int blockBytes;

  private ChannelBlockIo(Path file, FileChannel channel, int blockBytes) {
    this.file = file;
    this.channel = channel;
    this.blockBytes = blockBytes;
  }

  /**
   * Opens {@code file} for reading and writing.
   *
   * @throws IOException or {@link UnsupportedOperationException} when {@code direct} and the file
   *     system refuses {@code O_DIRECT} (tmpfs, some overlays)
   */
  static ChannelBlockIo open(Path file, int blockBytes, boolean direct) throws IOException {
    return new ChannelBlockIo(file, openChannel(file, direct), blockBytes);
  }

  /** {@code file} open for reading and writing, with {@code O_DIRECT} when {@code direct}. */
  static FileChannel openChannel(Path file, boolean direct) throws IOException {
    OpenOption[] options = direct
        ? new OpenOption[] {StandardOpenOption.READ, StandardOpenOption.WRITE,
            ExtendedOpenOption.DIRECT}
        : new OpenOption[] {StandardOpenOption.READ, StandardOpenOption.WRITE};
    return FileChannel.open(file, options);
  }

  @Override
  public void read(int block, ByteBuffer to) throws IOException {
    to.clear().limit(blockBytes);
    long position = (long) block * blockBytes;
    try {
      while (to.hasRemaining()) {
        if (channel.read(to, position + to.position()) < 0) {
          throw new EOFException("file ends before byte " + (position + to.position()));
        }
      }
    } catch (IOException e) {
      throw new IOException("reading block " + block + " of " + file + " at byte "
          + (position + to.position()) + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void write(int block, ByteBuffer from) throws IOException {
    from.clear().limit(blockBytes);
    long position = (long) block * blockBytes;
    try {
      while (from.hasRemaining()) {
        channel.write(from, position + from.position());
      }
    } catch (IOException e) {
      throw new IOException("writing block " + block + " of " + file + " at byte "
          + (position + from.position()) + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void force() throws IOException {
    channel.force(false); // fdatasync: the data and the metadata needed to read it back
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
