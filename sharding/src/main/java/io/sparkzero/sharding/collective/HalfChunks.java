package io.sparkzero.sharding.collective;

import java.lang.ref.Reference;
import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeAccess;
import sun.misc.Unsafe;

/**
 * Moves a chunk of a {@link HalfBlock} at a time: widened into a {@code float[]}, rounded back
 * from one, or copied as it is between the block and Aeron's log buffers. The 16-bit values travel
 * in {@link RawHalves}' layout (element {@code i} and element {@code h + i} share word {@code i}),
 * so a message carries the same bytes whichever kind of block it came from. One instance per
 * user: it owns its scratch arrays.
 */
final class HalfChunks {
  /** Elements per chunk where the caller does not size the scratch by a message. */
  static final int DEFAULT_ELEMENTS = 4096;

  private static final Unsafe UNSAFE = UnsafeAccess.UNSAFE;
  private static final long SHORT_BASE = Unsafe.ARRAY_SHORT_BASE_OFFSET;
  private static final long INT_BASE = Unsafe.ARRAY_INT_BASE_OFFSET;
  private static final long FLOAT_BASE = Unsafe.ARRAY_FLOAT_BASE_OFFSET;
  private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

  private final short[] values;
  private final int[] bits;
  private final int[] scratch;
  private final int[] words;

  HalfChunks(int capacity) {
    int n = Math.max(1, capacity);
    values = new short[n];
    bits = new int[n];
    scratch = new int[n];
    words = new int[(n + 1) / 2];
  }

  /** The most elements one call handles. */
  int capacity() {
    return values.length;
  }

  /** Widens elements {@code [from, from+count)} of {@code src} into {@code dst[0, count)}. */
  void widen(HalfBlock src, int from, int count, float[] dst) {
    src.checkRange(from, count);
    check(count);
    load(src, from, count);
    for (int i = 0; i < count; i++) {
      bits[i] = values[i] & 0xffff;
    }
    HalfFloats.widen(src.format(), bits, count);
    UNSAFE.copyMemory(bits, INT_BASE, dst, FLOAT_BASE, (long) count * Float.BYTES);
  }

  /** Rounds {@code src[0, count)} into elements {@code [to, to+count)} of {@code dst}. */
  void narrow(float[] src, HalfBlock dst, int to, int count) {
    dst.checkRange(to, count);
    check(count);
    UNSAFE.copyMemory(src, FLOAT_BASE, bits, INT_BASE, (long) count * Float.BYTES);
    HalfFloats.narrow(dst.format(), bits, count, scratch);
    for (int i = 0; i < count; i++) {
      values[i] = (short) bits[i];
    }
    store(dst, to, count);
  }

  /** Copies elements {@code [from, from+count)} of {@code src}, as they are, to the buffer. */
  void put(HalfBlock src, int from, int count, MutableDirectBuffer buffer, int index) {
    src.checkRange(from, count);
    check(count);
    buffer.boundsCheck(index, count * HalfBlock.BYTES);
    load(src, from, count);
    int h = (count + 1) / 2;
    int pairs = count - h;
    for (int i = 0; i < pairs; i++) {
      words[i] = (values[i] & 0xffff) | (values[h + i] << 16);
    }
    UNSAFE.copyMemory(words, INT_BASE, buffer.byteArray(), buffer.addressOffset() + index,
        (long) pairs * Integer.BYTES);
    if (h > pairs) {
      buffer.putShort(index + pairs * Integer.BYTES, values[pairs], NATIVE);
    }
  }

  /** Copies {@code count} 16-bit values from the buffer, as they are, into {@code dst[to..]}. */
  void get(DirectBuffer buffer, int index, HalfBlock dst, int to, int count) {
    dst.checkRange(to, count);
    check(count);
    buffer.boundsCheck(index, count * HalfBlock.BYTES);
    int h = (count + 1) / 2;
    int pairs = count - h;
    UNSAFE.copyMemory(buffer.byteArray(), buffer.addressOffset() + index, words, INT_BASE,
        (long) pairs * Integer.BYTES);
    for (int i = 0; i < pairs; i++) {
      values[i] = (short) words[i];
      values[h + i] = (short) (words[i] >>> 16);
    }
    if (h > pairs) {
      values[pairs] = buffer.getShort(index + pairs * Integer.BYTES, NATIVE);
    }
    store(dst, to, count);
  }

  private void load(HalfBlock src, int from, int count) {
    UNSAFE.copyMemory(src.base(), src.offsetOf(from), values, SHORT_BASE,
        (long) count * HalfBlock.BYTES);
    Reference.reachabilityFence(src);
  }

  private void store(HalfBlock dst, int to, int count) {
    UNSAFE.copyMemory(values, SHORT_BASE, dst.base(), dst.offsetOf(to),
        (long) count * HalfBlock.BYTES);
    Reference.reachabilityFence(dst);
  }

  private void check(int count) {
    if (count > values.length) {
      throw new IndexOutOfBoundsException("scratch for chunks of " + values.length
          + " elements cannot stage a chunk of " + count);
    }
  }
}
