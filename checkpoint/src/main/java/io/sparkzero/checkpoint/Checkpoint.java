package io.sparkzero.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One committed step, open for reading. Any global element range of any array can be read,
 * whichever ranks wrote it: that is how N ranks' checkpoint is loaded into M ranks. Shard files
 * are opened on first use and kept open until {@link #close()}; every block a read touches is
 * checked against its CRC32C, and a damaged file is a {@link CheckpointCorruptException} naming it.
 * Not thread-safe: use one per thread.
 */
public final class Checkpoint implements AutoCloseable {
  private final FileSystem fs;
  private final Path stepDir;
  private final Manifest manifest;
  private final List<ShardRecord> nonEmpty;
  private final long[] starts;
  private final Map<Integer, ShardReader> readers = new HashMap<>();
  private final Scratch scratch = new Scratch();

  Checkpoint(FileSystem fs, Path stepDir, Manifest manifest) {
    this.fs = fs;
    this.stepDir = stepDir;
    this.manifest = manifest;
    this.nonEmpty = Coverage.sortedByFrom(manifest.shards()).stream()
        .filter(s -> s.length() > 0).toList();
    this.starts = nonEmpty.stream().mapToLong(ShardRecord::from).toArray();
  }

  /** The step's manifest. */
  public Manifest manifest() {
    return manifest;
  }

  /**
   * Reads elements {@code [from, from + count)} of {@code array}'s global vector into {@code
   * dst[dstOffset..]}, across shard and block boundaries.
   *
   * @throws IllegalArgumentException when the step has no such array or the range is outside
   *     {@code [0, numElements)}
   * @throws CheckpointCorruptException when a shard it reads from is missing or damaged
   */
  public void read(String array, long from, float[] dst, int dstOffset, int count) {
    Objects.checkFromIndexSize(dstOffset, count, dst.length);
    int index = manifest.arrays().indexOf(array);
    if (index < 0) {
      throw new IllegalArgumentException("step " + manifest.step() + " has no array '" + array
          + "'; its arrays are " + manifest.arrays());
    }
    if (from < 0 || from > manifest.numElements() - count) {
      throw new IllegalArgumentException("elements [" + from + ", " + (from + count) + ") of '"
          + array + "' are outside [0, " + manifest.numElements() + ") of step " + manifest.step());
    }
    int i = Arrays.binarySearch(starts, from);
    for (i = i >= 0 ? i : -i - 2; count > 0; i++) {
      ShardRecord shard = nonEmpty.get(i);
      int n = (int) Math.min(count, shard.to() - from);
      reader(shard).read(index, from - shard.from(), dst, dstOffset, n, scratch);
      from += n;
      dstOffset += n;
      count -= n;
    }
  }

  /** The opaque meta bytes {@code rank} wrote with its shard (read from the shard's header). */
  public byte[] meta(int rank) {
    return reader(manifest.shard(rank)).header().meta();
  }

  /**
   * Reads every shard in full and checks header, every block and trailer: called at resume to
   * refuse a damaged checkpoint before any rank loads from it.
   *
   * @throws CheckpointCorruptException naming the first damaged file found
   */
  public void verify() {
    for (ShardRecord shard : manifest.shards()) {
      ShardReader open = readers.get(shard.rank());
      if (open != null) {
        open.verifyAll(scratch);
        continue;
      }
      // Not kept open: verifying a step of thousands of ranks must not hold thousands of streams.
      try (ShardReader reader = ShardReader.open(fs, stepDir, manifest, shard)) {
        reader.verifyAll(scratch);
      } catch (IOException e) {
        throw new UncheckedIOException("closing " + new Path(stepDir, shard.file()) + ": "
            + e.getMessage(), e);
      }
    }
  }

  private ShardReader reader(ShardRecord shard) {
    ShardReader reader = readers.get(shard.rank());
    if (reader == null) {
      reader = ShardReader.open(fs, stepDir, manifest, shard);
      readers.put(shard.rank(), reader);
    }
    return reader;
  }

  /** Closes every shard file opened. */
  @Override
  public void close() {
    IOException failure = null;
    for (ShardReader reader : readers.values()) {
      try {
        reader.close();
      } catch (IOException e) {
        failure = failure == null ? e : failure;
      }
    }
    readers.clear();
    if (failure != null) {
      throw new UncheckedIOException("closing the shard files of " + stepDir + ": "
          + failure.getMessage(), failure);
    }
  }
}
