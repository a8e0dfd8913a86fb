package io.sparkzero.sharding.collective;

/** Argument checks for array regions and segment bounds, with messages that say what is wrong. */
final class Segments {
  private Segments() {}

  /** Throws unless {@code [offset, offset+length)} lies inside {@code data}. */
  static void checkRange(float[] data, int offset, int length) {
    if (offset < 0 || length < 0 || (long) offset + length > data.length) {
      throw new IllegalArgumentException("region [" + offset + ", " + ((long) offset + length)
          + ") does not fit an array of " + data.length + " floats");
    }
  }

  /** Throws unless {@code bounds} holds {@code worldSize + 1} non-decreasing offsets into {@code data}. */
  static void checkBounds(float[] data, int[] bounds, int worldSize) {
    if (bounds.length != worldSize + 1) {
      throw new IllegalArgumentException("bounds has " + bounds.length + " entries; world size "
          + worldSize + " needs " + (worldSize + 1));
    }
    if (bounds[0] < 0 || bounds[worldSize] > data.length) {
      throw new IllegalArgumentException("bounds [" + bounds[0] + ", " + bounds[worldSize]
          + ") do not fit an array of " + data.length + " floats");
    }
    for (int i = 0; i < worldSize; i++) {
      if (bounds[i] > bounds[i + 1]) {
        throw new IllegalArgumentException("bounds[" + i + "]=" + bounds[i] + " > bounds["
            + (i + 1) + "]=" + bounds[i + 1] + "; bounds must not decrease");
      }
    }
  }
}
