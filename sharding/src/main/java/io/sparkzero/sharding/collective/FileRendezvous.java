package io.sparkzero.sharding.collective;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A rendezvous between processes that share a folder (tests, benchmarks, tools). In round {@code
 * k} rank {@code r} writes its message to {@code round-k-rank-r} (a temporary file renamed into
 * place, so readers never see half a message) and polls until every rank's file is there. The
 * folder must be empty when the job starts: files of an earlier run would be taken for this one's.
 */
public final class FileRendezvous implements Rendezvous {
  private static final long MAX_POLL_NS = TimeUnit.MILLISECONDS.toNanos(5);

  private final Path dir;
  private final int rank;
  private final int worldSize;
  private final long timeoutMs;
  private int round;

  /** Rank {@code rank} of {@code worldSize} meeting in {@code dir}; a round fails after {@code timeoutMs}. */
  public FileRendezvous(Path dir, int rank, int worldSize, long timeoutMs) {
    if (worldSize < 1 || rank < 0 || rank >= worldSize) {
      throw new IllegalArgumentException(
          "rank " + rank + " of world size " + worldSize + ": expected 0 <= rank < world size");
    }
    this.dir = dir;
    this.rank = rank;
    this.worldSize = worldSize;
    this.timeoutMs = timeoutMs;
  }

  @Override
  public int rank() {
    return rank;
  }

  @Override
  public int worldSize() {
    return worldSize;
  }

  @Override
  public String[] allGather(String message) {
    int k = round++;
    write(k, message);
    long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    long pollNs = 100_000;
    String[] messages = new String[worldSize];
    while (true) {
      List<Integer> missing = readAvailable(k, messages);
      if (missing.isEmpty()) {
        return messages;
      }
      if (System.nanoTime() > deadlineNs) {
        throw new IllegalStateException("file rendezvous in " + dir + " round " + k + ": ranks "
            + missing + " did not write their round-" + k + "-rank-* file within " + timeoutMs
            + " ms; check that those processes started and use this folder");
      }
      LockSupport.parkNanos(pollNs);
      pollNs = Math.min(MAX_POLL_NS, pollNs * 2);
    }
  }

  private void write(int k, String message) {
    Path target = file(k, rank);
    Path temp = dir.resolve(".round-" + k + "-rank-" + rank + ".tmp");
    try {
      Files.createDirectories(dir);
      Files.writeString(temp, message, StandardCharsets.UTF_8);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("file rendezvous: cannot write " + target + " (via " + temp
          + "); check the folder is writable", e);
    }
  }

  private List<Integer> readAvailable(int k, String[] messages) {
    List<Integer> missing = new ArrayList<>();
    for (int r = 0; r < worldSize; r++) {
      if (messages[r] != null) {
        continue;
      }
      Path file = file(k, r);
      try {
        messages[r] = Files.readString(file, StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        missing.add(r);
      } catch (IOException e) {
        throw new UncheckedIOException("file rendezvous: cannot read " + file, e);
      }
    }
    return missing;
  }

  private Path file(int k, int r) {
    return dir.resolve("round-" + k + "-rank-" + r);
  }
}
