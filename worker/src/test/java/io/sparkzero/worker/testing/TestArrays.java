package io.sparkzero.worker.testing;

import java.util.SplittableRandom;

/** Deterministic test data shared by the worker's tests (and the driver's, via the test-jar). */
public final class TestArrays {
  private TestArrays() {}

  /** {@code n} standard-normal floats, the same for the same {@code seed}. */
  public static float[] gaussian(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return values;
  }
}
