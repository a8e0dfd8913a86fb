package io.sparkzero.sharding.collective;

/**
 * Conversions between fp32 and the 16-bit formats of {@link Wire}: bfloat16 (fp32's top 16 bits)
 * and IEEE 754 half precision.
 *
 * <p>Narrowing rounds to nearest, ties to even, as IEEE 754 does by default. A NaN stays a quiet
 * NaN (sign and top payload bits kept), infinities and signed zeros stay what they are. In fp16,
 * magnitudes from 65520 up (the midpoint between the largest half, 65504, and 2^16, whose tie goes
 * to the even side) become infinite, and magnitudes below 2^-14 become subnormal, rounded to a
 * multiple of 2^-24. Widening is exact, so narrowing a widened value gives the same bits back
 * (a signalling NaN comes back quiet).
 *
 * <p>Why bit manipulation: Java 17 has no {@code Float.floatToFloat16}. Why branch-free code over
 * {@code int} float bits: the bulk forms convert whole chunks, and C2 vectorizes such a loop only
 * when its body has no branches, no {@code float}/{@code int} reinterpretation and few enough
 * nodes to unroll; that is why the bulk fp16 narrowing computes its subnormal case in a loop of
 * its own. Callers stage float bits into {@code int[]}s with a memory copy ({@link RawHalves}).
 */
public final class HalfFloats {
  private static final int SIGN = 0x8000_0000;
  private static final int ABS = 0x7fff_ffff;
  private static final int FLOAT_INF = 0x7f80_0000;
  /** Float bits of 2^-14, the smallest normal fp16 magnitude. */
  private static final int FP16_MIN_NORMAL = 0x3880_0000;
  /** Float bits of 65520 - ulp: every magnitude above rounds to fp16 infinity. */
  private static final int FP16_LAST_FINITE = 0x477f_efff;
  /** fp32's exponent bias less fp16's (127 - 15), in place in fp32 bits. */
  private static final int REBIAS = 112 << 23;
  private static final int FP16_INF = 0x7c00;

  private HalfFloats() {}

  /** The bfloat16 nearest to {@code value}, as its 16 bits. */
  public static short toBf16(float value) {
    return (short) bf16(Float.floatToRawIntBits(value));
  }

  /** The float that bfloat16 {@code bits} stands for (exact). */
  public static float fromBf16(short bits) {
    return Float.intBitsToFloat(widenBf16(bits & 0xffff));
  }

  /** The IEEE half nearest to {@code value}, as its 16 bits. */
  public static short toFp16(float value) {
    int x = Float.floatToRawIntBits(value);
    return (short) fp16(x, fp16Subnormal(x));
  }

  /** The float that IEEE half {@code bits} stands for (exact). */
  public static float fromFp16(short bits) {
    return Float.intBitsToFloat(widenFp16(bits & 0xffff));
  }

  /** {@code value} rounded to what {@code wire} can carry: what a receiver of it stores. */
  public static float round(float value, Wire wire) {
    switch (wire) {
      case BF16:
        return fromBf16(toBf16(value));
      case FP16:
        return fromFp16(toFp16(value));
      default:
        return value;
    }
  }

  /**
   * Replaces the float bits {@code bits[0, count)} with their 16-bit {@code wire} values (upper
   * 16 bits zero); {@code scratch} holds at least {@code count} ints. Each wire has its own loop
   * method so that the JIT profiles, inlines and vectorizes each on its own.
   */
  static void narrow(Wire wire, int[] bits, int count, int[] scratch) {
    if (wire == Wire.BF16) {
      narrowBf16(bits, count);
    } else if (wire == Wire.FP16) {
      narrowFp16(bits, count, scratch);
    } else {
      throw new IllegalArgumentException("narrowing to " + wire + ": only 16-bit wires narrow");
    }
  }

  /** Replaces the 16-bit {@code wire} values {@code bits[0, count)} with their float bits. */
  static void widen(Wire wire, int[] bits, int count) {
    if (wire == Wire.BF16) {
      widenBf16(bits, count);
    } else if (wire == Wire.FP16) {
      widenFp16(bits, count);
    } else {
      throw new IllegalArgumentException("widening from " + wire + ": only 16-bit wires widen");
    }
  }

  private static void narrowBf16(int[] bits, int count) {
    for (int i = 0; i < count; i++) {
      bits[i] = bf16(bits[i]);
    }
  }

  /** Two loops: one with the whole conversion would be too large for C2 to unroll. */
  private static void narrowFp16(int[] bits, int count, int[] subnormals) {
    for (int i = 0; i < count; i++) {
      subnormals[i] = fp16Subnormal(bits[i]);
    }
    for (int i = 0; i < count; i++) {
      bits[i] = fp16(bits[i], subnormals[i]);
    }
  }

  private static void widenBf16(int[] bits, int count) {
    for (int i = 0; i < count; i++) {
      bits[i] = widenBf16(bits[i]);
    }
  }

  private static void widenFp16(int[] bits, int count) {
    for (int i = 0; i < count; i++) {
      bits[i] = widenFp16(bits[i]);
    }
  }

  /**
   * bfloat16 of float bits {@code x}: add just under half of the dropped 16 bits' unit, plus one
   * when the kept part is odd (so that an exact half goes to the even side), and truncate. The
   * carry runs into the exponent, which is right (up to infinity). A NaN instead keeps its top
   * bits with the quiet bit set, so that rounding cannot turn it into an infinity.
   */
  private static int bf16(int x) {
    int rounded = (x + 0x7fff + ((x >>> 16) & 1)) >>> 16;
    int quietNaN = (x >>> 16) | 0x40;
    int nanMask = (FLOAT_INF - (x & ABS)) >> 31; // all ones when |x| is above infinity's bits
    return (rounded & ~nanMask) | (quietNaN & nanMask);
  }

  private static int widenBf16(int h) {
    return h << 16;
  }

  /**
   * fp16 of float bits {@code x}, given {@code subnormal} = {@link #fp16Subnormal}{@code (x)}. A
   * normal result rebiases the exponent and rounds the 23-bit mantissa to 10 bits as {@link
   * #bf16} does (the carry may reach infinity's exponent, which is right); anything past the last
   * magnitude that rounds to a finite half is infinity; a NaN keeps its top payload bits, quiet.
   */
  private static int fp16(int x, int subnormal) {
    int sign = (x >>> 16) & 0x8000;
    int a = x & ABS;
    int normal = (a - REBIAS + 0xfff + ((a >>> 13) & 1)) >>> 13;
    int overflowMask = (FP16_LAST_FINITE - a) >> 31;
    normal = (normal & ~overflowMask) | (FP16_INF & overflowMask);
    int nanMask = (FLOAT_INF - a) >> 31;
    int quietNaN = 0x7e00 | ((a >>> 13) & 0x3ff);
    int subnormalMask = (a - FP16_MIN_NORMAL) >> 31;
    int magnitude = (subnormal & subnormalMask) | (normal & ~subnormalMask);
    return sign | (magnitude & ~nanMask) | (quietNaN & nanMask);
  }

  /**
   * The fp16 magnitude bits of float bits {@code x} when {@code |x| < 2^-14} (meaningless
   * otherwise): {@code |x| / 2^-24} rounded to nearest even, a subnormal half, or the smallest
   * normal one when it rounds up to it. With {@code m} the 24-bit significand, that is {@code m}
   * shifted right by {@code 14 + d}, {@code d = 112 - exponent}: the shift by {@code d} (capped at
   * 15: smaller values all round to zero) goes in four fixed steps so the loop stays vectorizable,
   * gathering the bits it drops into a sticky bit, and the fixed shift by 14 rounds.
   */
  private static int fp16Subnormal(int x) {
    int a = x & ABS;
    int m = (a & 0x7f_ffff) | 0x80_0000;
    int d = 112 - (a >>> 23);
    int capMask = (15 - d) >> 31;
    d = (d & ~capMask) | (15 & capMask);
    int dropped = 0;
    int step = (d << 28) >> 31; // all ones when bit 3 of d is set: shift by 8
    dropped |= m & 0xff & step;
    m = ((m >>> 8) & step) | (m & ~step);
    step = (d << 29) >> 31;
    dropped |= m & 0xf & step;
    m = ((m >>> 4) & step) | (m & ~step);
    step = (d << 30) >> 31;
    dropped |= m & 0x3 & step;
    m = ((m >>> 2) & step) | (m & ~step);
    step = (d << 31) >> 31;
    dropped |= m & 0x1 & step;
    m = ((m >>> 1) & step) | (m & ~step);
    m |= (dropped | -dropped) >>> 31; // sticky: lifts an exact half that was not one above it
    return (m + 0x1fff + ((m >>> 14) & 1)) >>> 14;
  }

  /**
   * Float bits of fp16 {@code h}. Normal halves and infinities/NaNs rebias the exponent (twice
   * for the latter, reaching fp32's all-ones exponent). A subnormal half {@code s * 2^-24} is
   * normalized by shifting {@code s} left until bit 10 is set, in four fixed masked steps (so the
   * loop vectorizes), which fixes the exponent; zero stays zero.
   */
  private static int widenFp16(int h) {
    int sign = (h & 0x8000) << 16;
    int em = h & 0x7fff;
    int infMask = (0x7bff - em) >> 31;
    int normal = (em << 13) + REBIAS + (infMask & REBIAS);
    int s = em;
    int shift = 0;
    int step = ((s << 8) - 0x800) >> 31; // all ones when s << 8 stays below bit 11
    s = ((s << 8) & step) | (s & ~step);
    shift += step & 8;
    step = ((s << 4) - 0x800) >> 31;
    s = ((s << 4) & step) | (s & ~step);
    shift += step & 4;
    step = ((s << 2) - 0x800) >> 31;
    s = ((s << 2) & step) | (s & ~step);
    shift += step & 2;
    step = ((s << 1) - 0x800) >> 31;
    s = ((s << 1) & step) | (s & ~step);
    shift += step & 1;
    int zeroMask = (em - 1) >> 31;
    int subnormal = (((113 - shift) << 23) | ((s & 0x3ff) << 13)) & ~zeroMask;
    int subnormalMask = (em - 0x400) >> 31;
    return sign | (subnormal & subnormalMask) | (normal & ~subnormalMask);
  }
}
