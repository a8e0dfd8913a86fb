package io.sparkzero.sharding.collective;

import java.lang.ref.Reference;
import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeAccess;
import sun.misc.Unsafe;

/**
 * {@link RawFloats} for a 16-bit {@link Wire}: moves floats between {@link FloatBlock}s and
 * Aeron's log buffers, narrowing on the way out and widening on the way in ({@link HalfFloats}).
 *
 * <p>Layout of a chunk of {@code count} elements: with {@code h = ceil(count / 2)}, 32-bit word
 * {@code i} (native byte order) holds element {@code i} in its low 16 bits and element {@code h +
 * i} in its high 16 bits; when {@code count} is odd, element {@code h - 1} has no partner and
 * follows the words as one 16-bit value. Pairing elements half a chunk apart rather than
 * neighbours lets each side convert with {@code int[]} loops that C2 vectorizes (it does not
 * vectorize stores into a {@code short[]} computed from {@code int}s): the two halves of the chunk
 * are copied into two arrays, converted in place, and packed word by word.
 *
 * <p>One instance per ring pass: it owns the scratch arrays, sized for one chunk.
 */
final class RawHalves {
  private static final Unsafe UNSAFE = UnsafeAccess.UNSAFE;
  private static final long INT_BASE = Unsafe.ARRAY_INT_BASE_OFFSET;
  private static final long FLOAT_BASE = Unsafe.ARRAY_FLOAT_BASE_OFFSET;
  private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
  private static final int BYTES = 2;

  private final int maxCount;
  /** The chunk's first {@code h} elements, as float bits or 16-bit values. */
  private final int[] low;
  /** The chunk's other {@code count - h} elements. */
  private final int[] high;
  private final int[] words;
  private final int[] scratch;
  private final float[] received;
  private final float[] staged;

  /** Scratch for chunks of up to {@code maxCount} elements. */
  RawHalves(int maxCount) {
    this.maxCount = maxCount;
    int half = (maxCount + 1) / 2;
    low = new int[half];
    high = new int[half];
    words = new int[half];
    scratch = new int[half];
    received = new float[maxCount];
    staged = new float[maxCount];
  }

  /** Narrows {@code src[from, from+count)} into the buffer at byte {@code index}. */
  void put(Wire wire, FloatBlock src, int from, int count, MutableDirectBuffer buffer, int index) {
    check(src, from, count, buffer, index);
    int h = (count + 1) / 2;
    int pairs = count - h;
    load(src, from, low, h);
    load(src, from + h, high, pairs);
    HalfFloats.narrow(wire, low, h, scratch);
    HalfFloats.narrow(wire, high, pairs, scratch);
    for (int i = 0; i < pairs; i++) {
      words[i] = low[i] | (high[i] << 16);
    }
    UNSAFE.copyMemory(words, INT_BASE, buffer.byteArray(), buffer.addressOffset() + index,
        (long) pairs * Integer.BYTES);
    if (h > pairs) {
      buffer.putShort(index + pairs * Integer.BYTES, (short) low[pairs], NATIVE);
    }
  }

  /**
   * As {@link #put}, and leaves {@code src[from, from+count)} holding what was sent, widened:
   * exactly what a receiver that copies the chunk stores.
   */
  void putRounding(
      Wire wire, FloatBlock src, int from, int count, MutableDirectBuffer buffer, int index) {
    put(wire, src, from, count, buffer, index);
    int h = (count + 1) / 2;
    HalfFloats.widen(wire, low, h);
    HalfFloats.widen(wire, high, count - h);
    store(low, src, from, h);
    store(high, src, from + h, count - h);
  }

  /** Widens {@code count} elements from the buffer at byte {@code index} into {@code dst[to..]}. */
  void get(Wire wire, DirectBuffer buffer, int index, FloatBlock dst, int to, int count) {
    check(dst, to, count, buffer, index);
    int h = unpack(wire, buffer, index, count);
    store(low, dst, to, h);
    store(high, dst, to + h, count - h);
  }

  /**
   * Adds {@code count} elements from the buffer at byte {@code index}, widened, into {@code
   * dst[to...]} in fp32: {@code dst[to+i] += element i}, as {@link RawFloats#add} does.
   */
  void add(Wire wire, DirectBuffer buffer, int index, FloatBlock dst, int to, int count) {
    check(dst, to, count, buffer, index);
    int h = unpack(wire, buffer, index, count);
    UNSAFE.copyMemory(low, INT_BASE, received, FLOAT_BASE, (long) h * Float.BYTES);
    UNSAFE.copyMemory(high, INT_BASE, received, FLOAT_BASE + (long) h * Float.BYTES,
        (long) (count - h) * Float.BYTES);
    RawFloats.addStaged(received, dst, to, count, staged);
  }

  /** Rounds {@code data[from, from+count)} in place to what {@code wire} carries, by chunks. */
  void round(Wire wire, FloatBlock data, int from, int count) {
    data.checkRange(from, count);
    for (int done = 0; done < count; done += low.length) {
      int n = Math.min(low.length, count - done);
      load(data, from + done, low, n);
      HalfFloats.narrow(wire, low, n, scratch);
      HalfFloats.widen(wire, low, n);
      store(low, data, from + done, n);
    }
  }

  /** Reads a chunk's words into {@link #low} and {@link #high} as float bits; returns {@code h}. */
  private int unpack(Wire wire, DirectBuffer buffer, int index, int count) {
    int h = (count + 1) / 2;
    int pairs = count - h;
    UNSAFE.copyMemory(buffer.byteArray(), buffer.addressOffset() + index, words, INT_BASE,
        (long) pairs * Integer.BYTES);
    for (int i = 0; i < pairs; i++) {
      low[i] = words[i] & 0xffff;
    }
    for (int i = 0; i < pairs; i++) {
      high[i] = words[i] >>> 16;
    }
    if (h > pairs) {
      low[pairs] = buffer.getShort(index + pairs * Integer.BYTES, NATIVE) & 0xffff;
    }
    HalfFloats.widen(wire, low, h);
    HalfFloats.widen(wire, high, pairs);
    return h;
  }

  private void check(FloatBlock block, int at, int count, DirectBuffer buffer, int index) {
    block.checkRange(at, count);
    buffer.boundsCheck(index, count * BYTES);
    if (count > maxCount) {
      throw new IndexOutOfBoundsException("scratch for chunks of " + maxCount
          + " elements cannot stage a chunk of " + count);
    }
  }

  /** Copies the bits of floats {@code block[from, from+count)} into {@code bits}. */
  private static void load(FloatBlock block, int from, int[] bits, int count) {
    UNSAFE.copyMemory(block.base(), block.offsetOf(from), bits, INT_BASE,
        (long) count * Float.BYTES);
    Reference.reachabilityFence(block);
  }

  /** Copies float bits {@code bits[0, count)} into {@code block[to, to+count)}. */
  private static void store(int[] bits, FloatBlock block, int to, int count) {
    UNSAFE.copyMemory(bits, INT_BASE, block.base(), block.offsetOf(to),
        (long) count * Float.BYTES);
    Reference.reachabilityFence(block);
  }
}
