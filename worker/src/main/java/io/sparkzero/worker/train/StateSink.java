package io.sparkzero.worker.train;

/**
 * Where a rank's saved state goes: named arrays over the flat parameter index, each written in
 * order over the range the rank saves (a checkpoint shard writer is one).
 */
@FunctionalInterface
public interface StateSink {

  /** Appends {@code src[offset, offset + count)} to the array named {@code array}. */
  void write(String array, float[] src, int offset, int count);
}
