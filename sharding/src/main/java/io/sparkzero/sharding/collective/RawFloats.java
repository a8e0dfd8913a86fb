package io.sparkzero.sharding.collective;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeAccess;
import sun.misc.Unsafe;

/**
 * Bulk moves of floats between heap arrays and Aeron's off-heap log buffers, in native byte order.
 *
 * <p>Why {@link Unsafe}: Agrona buffers copy only bytes to and from heap arrays, and a float-by-float
 * {@code getFloat} loop is several times slower than one {@code copyMemory} (a memcpy intrinsic).
 * Reduction copies a chunk into a small reusable array first, then adds array to array, a loop the
 * JIT vectorizes. Both sides of a stream must share endianness (every x86-64 and AArch64 host does).
 */
final class RawFloats {
  private static final Unsafe UNSAFE = UnsafeAccess.UNSAFE;
  private static final long FLOAT_BASE = Unsafe.ARRAY_FLOAT_BASE_OFFSET;

  private RawFloats() {}

  /** Copies {@code count} floats from {@code src[from...]} to the buffer at byte {@code index}. */
  static void put(float[] src, int from, int count, MutableDirectBuffer buffer, int index) {
    checkArray(src, from, count);
    buffer.boundsCheck(index, count * Float.BYTES);
    UNSAFE.copyMemory(
        src, FLOAT_BASE + (long) from * Float.BYTES,
        buffer.byteArray(), buffer.addressOffset() + index,
        (long) count * Float.BYTES);
  }

  /** Copies {@code count} floats from the buffer at byte {@code index} into {@code dst[to...]}. */
  static void get(DirectBuffer buffer, int index, float[] dst, int to, int count) {
    checkArray(dst, to, count);
    buffer.boundsCheck(index, count * Float.BYTES);
    UNSAFE.copyMemory(
        buffer.byteArray(), buffer.addressOffset() + index,
        dst, FLOAT_BASE + (long) to * Float.BYTES,
        (long) count * Float.BYTES);
  }

  /**
   * Adds {@code count} floats read from the buffer at byte {@code index} into {@code dst[to...]},
   * staging them in {@code scratch} (at least {@code count} long).
   */
  static void add(DirectBuffer buffer, int index, float[] dst, int to, int count, float[] scratch) {
    get(buffer, index, scratch, 0, count);
    checkArray(dst, to, count);
    for (int i = 0; i < count; i++) {
      dst[to + i] += scratch[i];
    }
  }

  private static void checkArray(float[] array, int from, int count) {
    if (from < 0 || count < 0 || from + count > array.length) {
      throw new IndexOutOfBoundsException(
          "floats [" + from + ", " + (from + count) + ") of an array of " + array.length);
    }
  }
}
