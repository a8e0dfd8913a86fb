package io.sparkzero.sharding.collective;

import java.lang.ref.Reference;
import java.util.Objects;
import org.agrona.UnsafeAccess;
import sun.misc.Unsafe;

/**
 * A window of {@link #length()} 16-bit floats, IEEE half or bfloat16 ({@link #format()}), that
 * collectives read and write in place: a whole heap {@code short[]}, or native memory in native
 * byte order (the address of an ND4J/DL4J {@code HALF} buffer).
 *
 * <p>Why: a network that computes in 16 bits keeps its layers' parameters and gradients in 16
 * bits. Moving them as a {@link FloatBlock} would need an fp32 twin of every such buffer; a half
 * block is moved as it is ({@link Collectives#allGather(HalfBlock, int[])}) or summed in fp32 a
 * chunk at a time into an fp32 result ({@link Collectives#reduceScatterSum(HalfBlock, int[], Wire,
 * FloatBlock, int, boolean)}).
 *
 * <p>Lifetime and threads as for {@link FloatBlock}: a native block keeps its owner reachable and
 * must not be used after the owner frees its memory explicitly.
 */
public final class HalfBlock {
  private static final Unsafe UNSAFE = UnsafeAccess.UNSAFE;
  private static final long SHORT_BASE = Unsafe.ARRAY_SHORT_BASE_OFFSET;
  static final int BYTES = 2;

  private final Object base;
  private final long baseOffset;
  private final int length;
  private final Wire format;
  private final Object owner;

  private HalfBlock(Object base, long baseOffset, int length, Wire format, Object owner) {
    if (Objects.requireNonNull(format, "format") == Wire.FP32) {
      throw new IllegalArgumentException("a half block holds fp16 or bf16 elements, not fp32");
    }
    this.base = base;
    this.baseOffset = baseOffset;
    this.length = length;
    this.format = format;
    this.owner = owner;
  }

  /** The whole of {@code bits}, each element the 16 bits of a {@code format} value. */
  public static HalfBlock of(short[] bits, Wire format) {
    Objects.requireNonNull(bits, "bits");
    return new HalfBlock(bits, SHORT_BASE, bits.length, format, bits);
  }

  /**
   * {@code length} 16-bit values of native memory from {@code address} (of the first element).
   * {@code owner} is kept reachable for as long as the block is.
   */
  public static HalfBlock ofAddress(long address, int length, Wire format, Object owner) {
    if (length < 0 || (address == 0 && length > 0)) {
      throw new IllegalArgumentException("native block of " + length + " 16-bit values at address"
          + " 0x" + Long.toHexString(address) + ": expected length >= 0 and a non-zero address");
    }
    return new HalfBlock(null, address, length, format, owner);
  }

  /** Number of elements. */
  public int length() {
    return length;
  }

  /** {@link Wire#FP16} or {@link Wire#BF16}: what each element is. */
  public Wire format() {
    return format;
  }

  /** Element {@code i}, widened to fp32 (exact). */
  public float get(int i) {
    checkRange(i, 1);
    short bits = UNSAFE.getShort(base, offsetOf(i));
    Reference.reachabilityFence(this);
    return format == Wire.FP16 ? HalfFloats.fromFp16(bits) : HalfFloats.fromBf16(bits);
  }

  /** Sets element {@code i} to {@code value} rounded to the format (nearest, ties to even). */
  public void set(int i, float value) {
    checkRange(i, 1);
    short bits = format == Wire.FP16 ? HalfFloats.toFp16(value) : HalfFloats.toBf16(value);
    UNSAFE.putShort(base, offsetOf(i), bits);
    Reference.reachabilityFence(this);
  }

  /**
   * Sets elements {@code [to, to+count)} to floats {@code [from, from+count)} of {@code src},
   * each rounded to the format as {@link #set} rounds it.
   */
  public void roundFrom(FloatBlock src, int from, int to, int count) {
    src.checkRange(from, count);
    checkRange(to, count);
    HalfChunks chunks = new HalfChunks(Math.min(count, HalfChunks.DEFAULT_ELEMENTS));
    float[] floats = new float[chunks.capacity()];
    for (int done = 0; done < count; done += floats.length) {
      int n = Math.min(floats.length, count - done);
      src.copyTo(from + done, floats, 0, n);
      chunks.narrow(floats, this, to + done, n);
    }
  }

  /** Widens elements {@code [from, from+count)} into floats {@code [to, to+count)} of {@code dst}. */
  public void widenTo(int from, FloatBlock dst, int to, int count) {
    checkRange(from, count);
    dst.checkRange(to, count);
    HalfChunks chunks = new HalfChunks(Math.min(count, HalfChunks.DEFAULT_ELEMENTS));
    float[] floats = new float[chunks.capacity()];
    for (int done = 0; done < count; done += floats.length) {
      int n = Math.min(floats.length, count - done);
      chunks.widen(this, from + done, n, floats);
      dst.copyFrom(floats, 0, to + done, n);
    }
  }

  @Override
  public String toString() {
    return "HalfBlock[" + describe() + "]";
  }

  /** What the block is, for messages. */
  String describe() {
    String what = length + " " + format.configValue() + " values";
    return base != null ? "an array of " + what
        : "native memory of " + what + " at 0x" + Long.toHexString(baseOffset);
  }

  /** The {@link Unsafe} base object: the heap block's array, or null for native memory. */
  Object base() {
    return base;
  }

  /** The {@link Unsafe} offset of element {@code i} (unchecked). */
  long offsetOf(int i) {
    return baseOffset + (long) i * BYTES;
  }

  /** Throws unless elements {@code [from, from+count)} lie inside the block. */
  void checkRange(int from, int count) {
    if (from < 0 || count < 0 || (long) from + count > length) {
      throw new IndexOutOfBoundsException("elements [" + from + ", " + ((long) from + count)
          + ") outside " + describe());
    }
  }
}
