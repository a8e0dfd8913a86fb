package io.sparkzero.sharding.collective;

import java.lang.ref.Reference;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeAccess;
import sun.misc.Unsafe;

/**
 * Bulk moves of floats between {@link FloatBlock}s (heap arrays or native memory) and Aeron's
 * off-heap log buffers, in native byte order.
 *
 * <p>Why {@link Unsafe}: Agrona buffers copy only bytes to and from heap arrays, and a float-by-float
 * {@code getFloat} loop is several times slower than one {@code copyMemory} (a memcpy intrinsic).
 * Reduction copies a chunk into a small reusable array first, then adds array to array, a loop the
 * JIT vectorizes; a native destination is staged through a second array the same way, so both kinds
 * of memory share that loop. Both sides of a stream must share endianness (every x86-64 and AArch64
 * host does).
 */
final class RawFloats {
  private static final Unsafe UNSAFE = UnsafeAccess.UNSAFE;
  private static final long FLOAT_BASE = Unsafe.ARRAY_FLOAT_BASE_OFFSET;

  private RawFloats() {}

  /** Copies {@code count} floats from {@code src[from...]} to the buffer at byte {@code index}. */
  static void put(FloatBlock src, int from, int count, MutableDirectBuffer buffer, int index) {
    src.checkRange(from, count);
    buffer.boundsCheck(index, count * Float.BYTES);
    UNSAFE.copyMemory(
        src.base(), src.offsetOf(from),
        buffer.byteArray(), buffer.addressOffset() + index,
        (long) count * Float.BYTES);
    Reference.reachabilityFence(src);
  }

  /** Copies {@code count} floats from the buffer at byte {@code index} into {@code dst[to...]}. */
  static void get(DirectBuffer buffer, int index, FloatBlock dst, int to, int count) {
    dst.checkRange(to, count);
    buffer.boundsCheck(index, count * Float.BYTES);
    UNSAFE.copyMemory(
        buffer.byteArray(), buffer.addressOffset() + index,
        dst.base(), dst.offsetOf(to),
        (long) count * Float.BYTES);
    Reference.reachabilityFence(dst);
  }

  /**
   * Adds {@code count} floats read from the buffer at byte {@code index} into {@code dst[to...]},
   * staging them in {@code received}, and a native {@code dst}'s floats in {@code staged} (both at
   * least {@code count} long).
   */
  static void add(
      DirectBuffer buffer, int index, FloatBlock dst, int to, int count, float[] received,
      float[] staged) {
    dst.checkRange(to, count);
    buffer.boundsCheck(index, count * Float.BYTES);
    if (received.length < count || staged.length < count) {
      throw new IndexOutOfBoundsException("scratch arrays of " + received.length + " and "
          + staged.length + " floats cannot stage a chunk of " + count);
    }
    UNSAFE.copyMemory(
        buffer.byteArray(), buffer.addressOffset() + index,
        received, FLOAT_BASE,
        (long) count * Float.BYTES);
    addStaged(received, dst, to, count, staged);
  }

  /**
   * Adds {@code received[0, count)} into {@code dst[to...]}, a native {@code dst}'s floats staged
   * in {@code staged}: the second half of {@link #add}, shared with {@link RawHalves#add}.
   */
  static void addStaged(float[] received, FloatBlock dst, int to, int count, float[] staged) {
    float[] heap = dst.heapArray();
    if (heap != null) {
      addInto(heap, to, received, count);
    } else {
      dst.copyTo(to, staged, 0, count);
      addInto(staged, 0, received, count);
      dst.copyFrom(staged, 0, to, count);
    }
  }

  /** {@code dst[to+i] += src[i]} for {@code i < count}: plain array code that C2 vectorizes. */
  private static void addInto(float[] dst, int to, float[] src, int count) {
    for (int i = 0; i < count; i++) {
      dst[to + i] += src[i];
    }
  }
}
