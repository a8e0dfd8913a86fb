package io.sparkzero.worker.train;

/**
 * Where a rank's state is restored from: any global range of a named array over the flat
 * parameter index, whoever saved it (a committed checkpoint, written by any number of ranks, is
 * one).
 */
@FunctionalInterface
public interface StateSource {

  /** Copies elements {@code [from, from + count)} of {@code array} into {@code dst[offset..]}. */
  void read(String array, long from, float[] dst, int offset, int count);
}
