package io.sparkzero.worker.train;

import io.sparkzero.sharding.collective.FloatBlock;

/**
 * A 64-bit fingerprint of a float vector's exact bits, used to check that all ranks hold the same
 * parameters after an epoch. Not cryptographic; a single flipped bit changes it.
 */
public final class ParamHash {
  private ParamHash() {}

  private static final int CHUNK_FLOATS = 16 * 1024;

  /** FNV-1a over the raw IEEE-754 bits, finished with a 64-bit mix. */
  public static long of(float[] values) {
    return finish(mix(0xcbf29ce484222325L, values, values.length));
  }

  /** The same fingerprint over {@code block[from, to)}, read in chunks (equal to {@link #of}). */
  public static long of(FloatBlock block, int from, int to) {
    float[] chunk = new float[Math.min(CHUNK_FLOATS, Math.max(0, to - from))];
    Running hash = new Running();
    for (int at = from; at < to; at += chunk.length) {
      int count = Math.min(chunk.length, to - at);
      block.copyTo(at, chunk, 0, count);
      hash.add(chunk, count);
    }
    return hash.value();
  }

  /** The fingerprint of a vector fed to it in consecutive pieces (equal to {@link #of}). */
  public static final class Running {
    private long h = 0xcbf29ce484222325L;

    /** Appends {@code values[0, count)}. */
    public void add(float[] values, int count) {
      h = mix(h, values, count);
    }

    /** The fingerprint of everything added so far. */
    public long value() {
      return finish(h);
    }
  }

  private static long mix(long h, float[] values, int count) {
    for (int i = 0; i < count; i++) {
      h ^= Float.floatToRawIntBits(values[i]);
      h *= 0x100000001b3L;
    }
    return h;
  }

  private static long finish(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return h;
  }
}
