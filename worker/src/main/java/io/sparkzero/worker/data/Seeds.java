package io.sparkzero.worker.data;

/** Seeds derived from several numbers, well mixed (SplitMix64's finaliser), for shuffles. */
final class Seeds {
  private Seeds() {}

  /** A seed that depends on every value, in order. */
  static long mix(long seed, long... values) {
    long h = seed;
    for (long v : values) {
      h = finalise(h ^ (v + 0x9E3779B97F4A7C15L));
    }
    return h;
  }

  private static long finalise(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
