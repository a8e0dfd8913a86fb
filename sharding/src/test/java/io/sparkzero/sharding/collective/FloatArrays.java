package io.sparkzero.sharding.collective;

import static org.assertj.core.api.Assertions.fail;

import java.util.Arrays;

/** Exact float array comparison that reports the first differing element (fast on long arrays). */
final class FloatArrays {
  private FloatArrays() {}

  static void assertEqual(float[] actual, float[] expected, String what) {
    int at = Arrays.mismatch(actual, expected);
    if (at >= 0) {
      fail(what + ": first difference at element " + at + " of " + expected.length + ": got "
          + (at < actual.length ? actual[at] : "nothing") + ", expected "
          + (at < expected.length ? expected[at] : "nothing"));
    }
  }

  static void assertEqual(float[] actual, int from, int to, float[] expected, String what) {
    assertEqual(Arrays.copyOfRange(actual, from, to), Arrays.copyOfRange(expected, from, to), what);
  }
}
