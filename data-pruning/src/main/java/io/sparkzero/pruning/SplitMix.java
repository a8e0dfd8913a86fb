package io.sparkzero.pruning;

/**
 * SplitMix64 (Steele, Lea and Flood 2014): a stateless 64-bit mix, so a value derived from
 * (seed, example id) is the same on every executor, in every partitioning and input order.
 */
final class SplitMix {
  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  private SplitMix() {}

  /** The SplitMix64 finaliser of {@code z}: every input bit reaches every output bit. */
  static long mix(long z) {
    z += GOLDEN_GAMMA;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * A hash of (seed, id). The seed is mixed before it meets the id: with a plain {@code seed ^ id}
   * seed s would only relabel the ids of seed 0 (id i gets what i ^ s had), so two small seeds
   * would keep nearly the same examples of a range of ids.
   */
  static long hash(long seed, long id) {
    return mix(id ^ mix(seed));
  }

  /** The hash's top 53 bits as a double in [0, 1), every value equally likely. */
  static double unit(long seed, long id) {
    return (hash(seed, id) >>> 11) * 0x1.0p-53;
  }
}
