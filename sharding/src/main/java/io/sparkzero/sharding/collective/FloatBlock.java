package io.sparkzero.sharding.collective;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import org.agrona.BufferUtil;
import org.agrona.UnsafeAccess;
import sun.misc.Unsafe;

/**
 * A window of {@link #length()} floats that collectives read and write in place: a whole heap
 * {@code float[]}, or native memory in native byte order (a direct {@link ByteBuffer}, or the
 * address of an ND4J/DL4J data buffer).
 *
 * <p>Why native memory: parameters and gradients of a DL4J model live off the heap, and copying
 * them into a {@code float[]} for every collective doubles the memory per rank, which is what ZeRO
 * sets out to cut. Both kinds are addressed the way {@link Unsafe} addresses memory, an object base
 * (the array, or null for native memory) plus a byte offset (past the array header, or the absolute
 * address), so a copy between any two blocks is one {@code copyMemory}, a memcpy intrinsic. Copies
 * may overlap (it moves like {@code memmove}).
 *
 * <p>Lifetime: a native block holds the memory's owner (the {@code ByteBuffer}, the {@code
 * INDArray}) and every access ends with a reachability fence on the block, so the owner cannot be
 * collected, and its memory freed by a cleaner, while the block is in use. The block cannot see the
 * owner free its memory explicitly (closing an ND4J workspace or the array): it must not be used
 * after that. A block is as thread-safe as plain memory: concurrent writers need outside ordering.
 */
public final class FloatBlock {
  private static final Unsafe UNSAFE = UnsafeAccess.UNSAFE;
  private static final long FLOAT_BASE = Unsafe.ARRAY_FLOAT_BASE_OFFSET;

  /** The {@code float[]} of a heap block (float {@code i} is element {@code i}); null if native. */
  private final Object base;
  /** Byte offset of float 0 in {@code base}, or its absolute address when {@code base} is null. */
  private final long baseOffset;
  private final int length;
  /** Keeps the memory's owner reachable for as long as this block is. */
  private final Object owner;

  private FloatBlock(Object base, long baseOffset, int length, Object owner) {
    this.base = base;
    this.baseOffset = baseOffset;
    this.length = length;
    this.owner = owner;
  }

  /** The whole of {@code array}; float {@code i} of the block is {@code array[i]}. */
  public static FloatBlock of(float[] array) {
    Objects.requireNonNull(array, "array");
    return new FloatBlock(array, FLOAT_BASE, array.length, array);
  }

  /**
   * The floats of a direct buffer from its position to its limit. The buffer must be writable and
   * set to native byte order ({@code order(ByteOrder.nativeOrder())}): the block reads its bytes as
   * native floats whatever the buffer's order, so a buffer set to another order would disagree with
   * what its own {@code getFloat} returns. Later changes to position and limit do not move the
   * block.
   */
  public static FloatBlock ofDirect(ByteBuffer direct) {
    int bytes = direct.remaining();
    String what = "ByteBuffer of " + bytes + " bytes between position " + direct.position()
        + " and limit " + direct.limit();
    if (!direct.isDirect()) {
      throw new IllegalArgumentException("heap " + what + " is not native memory: use "
          + "FloatBlock.of(float[]) for heap data, or a buffer from ByteBuffer.allocateDirect");
    }
    if (direct.isReadOnly()) {
      throw new IllegalArgumentException("read-only " + what + ": collectives write into their"
          + " blocks, pass a writable buffer");
    }
    if (direct.order() != ByteOrder.nativeOrder()) {
      throw new IllegalArgumentException(direct.order() + " " + what + ": blocks hold floats in"
          + " native order (" + ByteOrder.nativeOrder() + "); write the floats in native order and"
          + " call order(ByteOrder.nativeOrder()) on the buffer");
    }
    if (bytes % Float.BYTES != 0) {
      throw new IllegalArgumentException("direct " + what + " is not a whole number of "
          + Float.BYTES + "-byte floats");
    }
    long address = BufferUtil.address(direct) + direct.position();
    return new FloatBlock(null, address, bytes / Float.BYTES, direct);
  }

  /**
   * {@code length} floats of native memory from {@code address} (of the first float, e.g. an ND4J
   * buffer's address plus its offset in bytes). {@code owner} is kept reachable for as long as the
   * block is; pass the object whose collection frees the memory (the {@code INDArray}), or null if
   * the memory is freed only explicitly.
   */
  public static FloatBlock ofAddress(long address, int length, Object owner) {
    if (length < 0 || (address == 0 && length > 0)) {
      throw new IllegalArgumentException("native block of " + length + " floats at address 0x"
          + Long.toHexString(address) + ": expected length >= 0 and a non-zero address");
    }
    return new FloatBlock(null, address, length, owner);
  }

  /** Number of floats in the block. */
  public int length() {
    return length;
  }

  /** Float {@code i} of the block. */
  public float get(int i) {
    checkRange(i, 1);
    float value = UNSAFE.getFloat(base, offsetOf(i));
    Reference.reachabilityFence(this);
    return value;
  }

  /** Sets float {@code i} of the block to {@code value}. */
  public void set(int i, float value) {
    checkRange(i, 1);
    UNSAFE.putFloat(base, offsetOf(i), value);
    Reference.reachabilityFence(this);
  }

  /** Copies floats {@code [from, from+count)} of the block to {@code dst[dstOffset...]}. */
  public void copyTo(int from, float[] dst, int dstOffset, int count) {
    checkRange(from, count);
    checkArray(dst, dstOffset, count);
    UNSAFE.copyMemory(base, offsetOf(from), dst, FLOAT_BASE + (long) dstOffset * Float.BYTES,
        (long) count * Float.BYTES);
    Reference.reachabilityFence(this);
  }

  /** Copies {@code src[srcOffset, srcOffset+count)} into floats {@code [to, to+count)}. */
  public void copyFrom(float[] src, int srcOffset, int to, int count) {
    checkArray(src, srcOffset, count);
    checkRange(to, count);
    UNSAFE.copyMemory(src, FLOAT_BASE + (long) srcOffset * Float.BYTES, base, offsetOf(to),
        (long) count * Float.BYTES);
    Reference.reachabilityFence(this);
  }

  /** Copies floats {@code [from, from+count)} to floats {@code [dstFrom, ...)} of {@code dst}. */
  public void copyTo(int from, FloatBlock dst, int dstFrom, int count) {
    checkRange(from, count);
    dst.checkRange(dstFrom, count);
    UNSAFE.copyMemory(base, offsetOf(from), dst.base, dst.offsetOf(dstFrom),
        (long) count * Float.BYTES);
    Reference.reachabilityFence(this);
    Reference.reachabilityFence(dst);
  }

  /** Sets floats {@code [from, from+count)} to {@code value}. */
  public void fill(int from, int count, float value) {
    checkRange(from, count);
    if (count > 0) {
      // One store, then copies that double the filled prefix: log2(count) memcpy calls, the same
      // code for heap and native memory, where a float-by-float Unsafe loop would not vectorize.
      long start = offsetOf(from);
      UNSAFE.putFloat(base, start, value);
      for (long filled = 1; filled < count; filled *= 2) {
        long more = Math.min(filled, count - filled);
        UNSAFE.copyMemory(base, start, base, start + filled * Float.BYTES, more * Float.BYTES);
      }
    }
    Reference.reachabilityFence(this);
  }

  @Override
  public String toString() {
    return "FloatBlock[" + describe() + "]";
  }

  /** What the block is, for messages: "an array of 10 floats", or native memory and its address. */
  String describe() {
    return base != null
        ? "an array of " + length + " floats"
        : "native memory of " + length + " floats at 0x" + Long.toHexString(baseOffset);
  }

  /** The array of a heap block (float {@code i} is element {@code i}); null for native memory. */
  float[] heapArray() {
    return (float[]) base;
  }

  /** The {@link Unsafe} base object: the heap block's array, or null for native memory. */
  Object base() {
    return base;
  }

  /** The {@link Unsafe} offset of float {@code i} (unchecked; call {@link #checkRange} first). */
  long offsetOf(int i) {
    return baseOffset + (long) i * Float.BYTES;
  }

  /** Throws unless floats {@code [from, from+count)} lie inside the block. */
  void checkRange(int from, int count) {
    if (from < 0 || count < 0 || (long) from + count > length) {
      throw new IndexOutOfBoundsException((count == 1 ? "float " + from : "floats [" + from + ", "
          + ((long) from + count) + ")") + " outside " + describe());
    }
  }

  private static void checkArray(float[] array, int from, int count) {
    if (from < 0 || count < 0 || (long) from + count > array.length) {
      throw new IndexOutOfBoundsException("array floats [" + from + ", " + ((long) from + count)
          + ") outside an array of " + array.length + " floats");
    }
  }
}
