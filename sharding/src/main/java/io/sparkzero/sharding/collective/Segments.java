package io.sparkzero.sharding.collective;

/** Argument checks for block regions and segment bounds, with messages that say what is wrong. */
final class Segments {
  private Segments() {}

  /** Throws unless {@code [offset, offset+length)} lies inside {@code data}. */
  static void checkRange(FloatBlock data, int offset, int length) {
    if (offset < 0 || length < 0 || (long) offset + length > data.length()) {
      throw new IllegalArgumentException("region [" + offset + ", " + ((long) offset + length)
          + ") does not fit " + data.describe());
    }
  }

  /** As {@link #checkRange(FloatBlock, int, int)} for a heap array. */
  static void checkRange(float[] data, int offset, int length) {
    checkRange(FloatBlock.of(data), offset, length);
  }

  /** Throws unless {@code bounds} holds {@code worldSize + 1} non-decreasing offsets into {@code data}. */
  static void checkBounds(FloatBlock data, int[] bounds, int worldSize) {
    checkBounds(data.length(), data.describe(), bounds, worldSize);
  }

  /** As {@link #checkBounds(FloatBlock, int[], int)} for a block of 16-bit values. */
  static void checkBounds(HalfBlock data, int[] bounds, int worldSize) {
    checkBounds(data.length(), data.describe(), bounds, worldSize);
  }

  private static void checkBounds(int length, String block, int[] bounds, int worldSize) {
    if (bounds.length != worldSize + 1) {
      throw new IllegalArgumentException("bounds has " + bounds.length + " entries; world size "
          + worldSize + " needs " + (worldSize + 1));
    }
    if (bounds[0] < 0 || bounds[worldSize] > length) {
      throw new IllegalArgumentException("bounds [" + bounds[0] + ", " + bounds[worldSize]
          + ") do not fit " + block);
    }
    for (int i = 0; i < worldSize; i++) {
      if (bounds[i] > bounds[i + 1]) {
        throw new IllegalArgumentException("bounds[" + i + "]=" + bounds[i] + " > bounds["
            + (i + 1) + "]=" + bounds[i + 1] + "; bounds must not decrease");
      }
    }
  }

  /** As {@link #checkBounds(FloatBlock, int[], int)} for a heap array. */
  static void checkBounds(float[] data, int[] bounds, int worldSize) {
    checkBounds(FloatBlock.of(data), bounds, worldSize);
  }
}
