package io.sparkzero.worker.data;

import java.util.SplittableRandom;

/**
 * Seeds derived from several numbers, well mixed (SplitMix64's finaliser), and the permutations
 * drawn from them: the one shuffle every order of examples and chunks uses.
 */
public final class Seeds {
  private Seeds() {}

  /** A seed that depends on every value, in order. */
  public static long mix(long seed, long... values) {
    long h = seed;
    for (long v : values) {
      h = finalise(h ^ (v + 0x9E3779B97F4A7C15L));
    }
    return h;
  }

  /** A permutation of {@code [0, size)} drawn from {@code seed} (Fisher-Yates). */
  public static int[] permutation(int size, long seed) {
    int[] order = new int[size];
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = size - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  private static long finalise(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
