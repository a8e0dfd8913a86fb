package io.sparkzero.worker.train;

/**
 * A 64-bit fingerprint of a float vector's exact bits, used to check that all ranks hold the same
 * parameters after an epoch. Not cryptographic; a single flipped bit changes it.
 */
public final class ParamHash {
  private ParamHash() {}

  /** FNV-1a over the raw IEEE-754 bits, finished with a 64-bit mix. */
  public static long of(float[] values) {
    long h = 0xcbf29ce484222325L;
    for (float v : values) {
      h ^= Float.floatToRawIntBits(v);
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return h;
  }
}
