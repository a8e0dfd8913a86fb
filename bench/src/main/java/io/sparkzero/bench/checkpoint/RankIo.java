package io.sparkzero.bench.checkpoint;

import io.sparkzero.checkpoint.Checkpoint;
import io.sparkzero.checkpoint.CheckpointStore;
import io.sparkzero.checkpoint.ShardHeader;
import io.sparkzero.checkpoint.ShardRecord;
import io.sparkzero.checkpoint.ShardWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * What one rank does in {@link CheckpointIoBenchmark}: writes its shard of the step as a training
 * rank does, makes it durable, reads it back as a resume does. Rank {@code r} holds elements
 * {@code [r * n, (r + 1) * n)} of each of {@link #ARRAYS}, {@code n = floatsPerArray}. Each call
 * belongs to the calling thread; the buffers are its own.
 */
final class RankIo {
  /** The arrays of a rank's shard, as a ZeRO rank with Adam writes them. */
  static final List<String> ARRAYS = List.of("params", "opt.0", "opt.1");
  /** Floats handed to the writer, or asked of a read, per call: 4 MiB. */
  static final int CHUNK_FLOATS = 1 << 20;

  private final CheckpointStore store;
  private final long step;
  private final int rank;
  private final long floatsPerArray;
  private final float[] chunk = new float[CHUNK_FLOATS];

  RankIo(CheckpointStore store, long step, int rank, long floatsPerArray) {
    this.store = store;
    this.step = step;
    this.rank = rank;
    this.floatsPerArray = floatsPerArray;
  }

  /**
   * Element {@code i} of every chunk written. Neither zero nor constant: a file system or virtual
   * disk may store zero blocks cheaply, and training state is not zero.
   */
  static float pattern(int i) {
    return 1f + (i % 1021) / 1024f;
  }

  /** Writes the rank's shard, every array in chunks of {@link #CHUNK_FLOATS}, and finishes it. */
  ShardRecord write() {
    for (int i = 0; i < CHUNK_FLOATS; i++) {
      chunk[i] = pattern(i);
    }
    long from = rank * floatsPerArray;
    ShardHeader header = new ShardHeader(rank, from, from + floatsPerArray, ARRAYS, new byte[0]);
    try (ShardWriter writer = store.beginShard(step, rank, header)) {
      for (String array : ARRAYS) {
        for (long done = 0; done < floatsPerArray; done += CHUNK_FLOATS) {
          writer.write(array, chunk, 0, (int) Math.min(CHUNK_FLOATS, floatsPerArray - done));
        }
      }
      return writer.finish();
    }
  }

  /**
   * Reads the rank's own range of every array back in chunks, as a resume into the same number
   * of ranks does, checking the first and last element of each chunk against {@link #pattern}.
   */
  void read() {
    long from = rank * floatsPerArray;
    try (Checkpoint checkpoint = store.open(step)) {
      for (String array : ARRAYS) {
        for (long done = 0; done < floatsPerArray; done += CHUNK_FLOATS) {
          int n = (int) Math.min(CHUNK_FLOATS, floatsPerArray - done);
          checkpoint.read(array, from + done, chunk, 0, n);
          if (chunk[0] != pattern(0) || chunk[n - 1] != pattern(n - 1)) {
            throw new IllegalStateException("rank " + rank + " read back other values than it"
                + " wrote in '" + array + "' at element " + (from + done) + " of step " + step
                + " under " + store.uri());
          }
        }
      }
    }
  }

  /**
   * Makes the finished shard durable: fsync ({@code FileChannel.force(true)}) of the shard file
   * and of the {@code .crc} side file that Hadoop's local FileSystem writes beside it, when there
   * is one. Only meaningful for a {@code file://} store.
   */
  void fsync(ShardRecord shard) {
    Path file = Path.of(URI.create(store.stepUri(step))).resolve(shard.file());
    force(file);
    Path crc = file.resolveSibling("." + shard.file() + ".crc");
    if (Files.exists(crc)) {
      force(crc);
    }
  }

  private static void force(Path file) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.force(true);
    } catch (IOException e) {
      throw new UncheckedIOException("fsync of " + file + " failed: " + e.getMessage(), e);
    }
  }

  /** Runs {@code task} for ranks {@code 0..ranks-1} at once; returns once all have, in order. */
  static <T> List<T> onRanks(ExecutorService pool, int ranks, IntFunction<T> task) {
    List<Callable<T>> calls = new ArrayList<>();
    for (int rank = 0; rank < ranks; rank++) {
      int r = rank;
      calls.add(() -> task.apply(r));
    }
    List<T> results = new ArrayList<>();
    try {
      for (Future<T> future : pool.invokeAll(calls)) {
        results.add(future.get());
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("a rank failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the ranks ran", e);
    }
    return results;
  }
}
