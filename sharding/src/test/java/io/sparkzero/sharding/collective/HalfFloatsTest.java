package io.sparkzero.sharding.collective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The conversions against values computed independently of them: every 16-bit pattern's value
 * from its fields, and for narrowing the IEEE rule itself, checked on each result against its two
 * neighbours (widened, in double): no neighbour is nearer, and of two equally near the result is
 * the even one.
 */
class HalfFloatsTest {
  private static final int RANDOM_FLOATS = 1_000_000;

  /** What fp16 {@code h} stands for, from its sign, exponent and mantissa fields. */
  private static double fp16Value(int h) {
    double sign = (h & 0x8000) != 0 ? -1 : 1;
    int exponent = (h >>> 10) & 0x1f;
    int mantissa = h & 0x3ff;
    if (exponent == 0x1f) {
      return mantissa == 0 ? sign * Double.POSITIVE_INFINITY : Double.NaN;
    }
    return exponent == 0
        ? sign * Math.scalb((double) mantissa, -24)
        : sign * Math.scalb((double) (1024 + mantissa), exponent - 25);
  }

  /** What bf16 {@code h} stands for: by definition the float of its bits followed by 16 zeros. */
  private static double bf16Value(int h) {
    return Float.intBitsToFloat(h << 16);
  }

  private static short narrow(Wire wire, float value) {
    return wire == Wire.BF16 ? HalfFloats.toBf16(value) : HalfFloats.toFp16(value);
  }

  private static float widen(Wire wire, int bits) {
    return wire == Wire.BF16
        ? HalfFloats.fromBf16((short) bits)
        : HalfFloats.fromFp16((short) bits);
  }

  /** The magnitude bits of infinity, one past the largest finite value's. */
  private static int infinityCode(Wire wire) {
    return wire == Wire.BF16 ? 0x7f80 : 0x7c00;
  }

  /**
   * The magnitude of code {@code code}, where infinity's code stands for the next power of two an
   * unbounded exponent would give (2^128, 2^16): the value a finite input is compared with when
   * deciding whether it overflows, as IEEE rounding does.
   */
  private static double magnitude(Wire wire, int code) {
    if (code == infinityCode(wire)) {
      return wire == Wire.BF16 ? Math.scalb(1.0, 128) : 65536.0;
    }
    return wire == Wire.BF16 ? bf16Value(code) : fp16Value(code);
  }

  private static boolean isNaNCode(Wire wire, int h) {
    return (h & 0x7fff) > infinityCode(wire);
  }

  /** The quiet bit, the top mantissa bit. */
  private static int quietBit(Wire wire) {
    return wire == Wire.BF16 ? 0x40 : 0x200;
  }

  @Test
  void everyFp16PatternWidensToItsValueAndNarrowsBackToItself() {
    for (int h = 0; h < 0x10000; h++) {
      float widened = HalfFloats.fromFp16((short) h);
      int back = HalfFloats.toFp16(widened) & 0xffff;
      if (isNaNCode(Wire.FP16, h)) {
        assertThat(widened).as("fp16 %04x", h).isNaN();
        assertThat(isNaNCode(Wire.FP16, back)).as("fp16 %04x back: %04x", h, back).isTrue();
        assertThat(back).as("fp16 %04x back", h).isEqualTo(h | quietBit(Wire.FP16));
      } else {
        assertThat((double) widened).as("fp16 %04x", h).isEqualTo(fp16Value(h));
        assertThat(Float.floatToRawIntBits(widened) < 0).as("sign of fp16 %04x", h)
            .isEqualTo(h >= 0x8000);
        assertThat(back).as("fp16 %04x back", h).isEqualTo(h);
      }
    }
  }

  @Test
  void everyBf16PatternWidensToItsValueAndNarrowsBackToItself() {
    for (int h = 0; h < 0x10000; h++) {
      float widened = HalfFloats.fromBf16((short) h);
      int back = HalfFloats.toBf16(widened) & 0xffff;
      assertThat(Float.floatToRawIntBits(widened)).as("bf16 %04x", h).isEqualTo(h << 16);
      if (isNaNCode(Wire.BF16, h)) {
        assertThat(widened).as("bf16 %04x", h).isNaN();
        assertThat(back).as("bf16 %04x back", h).isEqualTo(h | quietBit(Wire.BF16));
      } else {
        assertThat(back).as("bf16 %04x back", h).isEqualTo(h);
      }
    }
  }

  @Test
  void fp16EdgeValuesRoundAsIeeeSays() {
    float tinyest = Math.scalb(1f, -24);
    Object[][] cases = {
        {0f, 0x0000}, {-0f, 0x8000}, {1f, 0x3c00}, {-2f, 0xc000},
        {1f + Math.scalb(1f, -11), 0x3c00}, // a tie: to the even 1.0
        {1f + 3 * Math.scalb(1f, -11), 0x3c02}, // a tie: to the even 1 + 2^-9
        {Math.nextUp(1f + Math.scalb(1f, -11)), 0x3c01},
        {65504f, 0x7bff}, {Math.nextDown(65520f), 0x7bff},
        {65520f, 0x7c00}, {-65520f, 0xfc00}, // the tie between 65504 and 2^16 goes to infinity
        {65536f, 0x7c00}, {Float.MAX_VALUE, 0x7c00},
        {Float.POSITIVE_INFINITY, 0x7c00}, {Float.NEGATIVE_INFINITY, 0xfc00},
        {Math.scalb(1f, -14), 0x0400}, {Math.nextDown(Math.scalb(1f, -14)), 0x0400},
        {Math.scalb(1f, -14) - tinyest, 0x03ff}, {tinyest, 0x0001}, {-tinyest, 0x8001},
        {tinyest / 2, 0x0000}, // a tie: to the even 0
        {Math.nextUp(tinyest / 2), 0x0001}, {1.5f * tinyest, 0x0002}, {2.5f * tinyest, 0x0002},
        {Float.MIN_VALUE, 0x0000}, {-Float.MIN_VALUE, 0x8000}, {Float.MIN_NORMAL, 0x0000},
    };
    for (Object[] c : cases) {
      float value = (Float) c[0];
      assertThat(HalfFloats.toFp16(value) & 0xffff).as("fp16 of %s", value)
          .isEqualTo((int) (Integer) c[1]);
    }
    assertThat(HalfFloats.toFp16(Float.NaN) & 0xffff).isEqualTo(0x7e00);
    assertThat(HalfFloats.fromFp16(HalfFloats.toFp16(Float.intBitsToFloat(0xff80_0001)))).isNaN();
    assertThat(HalfFloats.fromFp16(HalfFloats.toFp16(Float.intBitsToFloat(0x7f80_2000)))).isNaN();
  }

  @Test
  void bf16EdgeValuesRoundAsIeeeSays() {
    Object[][] cases = {
        {0f, 0x0000}, {-0f, 0x8000}, {1f, 0x3f80}, {-1f, 0xbf80},
        {1f + Math.scalb(1f, -8), 0x3f80}, // a tie: to the even 1.0
        {1f + 3 * Math.scalb(1f, -8), 0x3f82},
        {Math.nextUp(1f + Math.scalb(1f, -8)), 0x3f81},
        {Float.intBitsToFloat(0x7f7f_7fff), 0x7f7f}, // just below the midpoint to 2^128
        {Float.intBitsToFloat(0x7f7f_8000), 0x7f80}, // the midpoint: to the even infinity
        {Float.MAX_VALUE, 0x7f80}, {-Float.MAX_VALUE, 0xff80},
        {Float.POSITIVE_INFINITY, 0x7f80}, {Float.NEGATIVE_INFINITY, 0xff80},
        {Float.MIN_VALUE, 0x0000}, {-Float.MIN_VALUE, 0x8000},
        {Float.intBitsToFloat(0x0000_8000), 0x0000}, // a subnormal tie: to the even 0
        {Float.intBitsToFloat(0x0001_8000), 0x0002}, {Float.intBitsToFloat(0x0000_8001), 0x0001},
        {Float.MIN_NORMAL, 0x0080},
    };
    for (Object[] c : cases) {
      float value = (Float) c[0];
      assertThat(HalfFloats.toBf16(value) & 0xffff).as("bf16 of %s", value)
          .isEqualTo((int) (Integer) c[1]);
    }
    assertThat(HalfFloats.toBf16(Float.NaN) & 0xffff).isEqualTo(0x7fc0);
    // A signalling NaN whose payload lies only in the dropped bits must not become infinity.
    assertThat(HalfFloats.toBf16(Float.intBitsToFloat(0x7f80_0001)) & 0xffff).isEqualTo(0x7fc0);
    assertThat(HalfFloats.toBf16(Float.intBitsToFloat(0xff80_0001)) & 0xffff).isEqualTo(0xffc0);
  }

  @ParameterizedTest
  @EnumSource(value = Wire.class, names = {"BF16", "FP16"})
  void randomFloatsOfEveryRangeNarrowToTheNearestValueTiesToEven(Wire wire) {
    Random random = new Random(wire.ordinal() * 7919L + 11);
    int fp16Exponents = 143 - 97 + 1; // 2^-30 (below the subnormals) to 2^16 (overflow)
    for (int i = 0; i < RANDOM_FLOATS; i++) {
      float value;
      switch (i % 4) {
        case 0: // any bit pattern: every exponent, NaNs and infinities included
          value = Float.intBitsToFloat(random.nextInt());
          break;
        case 1: // fp16's range, its subnormals and its overflow boundary
          value = Float.intBitsToFloat((random.nextInt() & 0x807f_ffff)
              | ((97 + random.nextInt(fp16Exponents)) << 23));
          break;
        case 2: // a tie between two neighbours, or a float next to one
          value = nearATie(wire, random);
          break;
        default: // around the largest finite value
          value = wire == Wire.FP16
              ? 65_000f + random.nextFloat() * 1_000f
              : Float.intBitsToFloat(0x7f7f_0000 | random.nextInt(0x1_0000));
          break;
      }
      checkNearest(wire, value);
    }
  }

  /** The midpoint of a random finite code and the next one up, or the float either side of it. */
  private static float nearATie(Wire wire, Random random) {
    int code = random.nextInt(infinityCode(wire));
    float midpoint = (float) ((magnitude(wire, code) + magnitude(wire, code + 1)) / 2);
    float value = random.nextInt(3) == 0 ? Math.nextDown(midpoint)
        : random.nextInt(2) == 0 ? Math.nextUp(midpoint) : midpoint;
    return random.nextBoolean() ? value : -value;
  }

  private static void checkNearest(Wire wire, float value) {
    int h = narrow(wire, value) & 0xffff;
    if (Float.isNaN(value)) {
      if (!isNaNCode(wire, h)) {
        fail(wire + " of NaN " + Integer.toHexString(Float.floatToRawIntBits(value)) + ": "
            + Integer.toHexString(h) + " is not a NaN");
      }
      return;
    }
    boolean negative = Float.floatToRawIntBits(value) < 0;
    int code = h & 0x7fff;
    double target = Math.abs((double) value);
    if (negative != (h >= 0x8000) || code > infinityCode(wire)
        || (Double.isInfinite(target) && code != infinityCode(wire))) {
      fail(wire + " of " + value + ": " + Integer.toHexString(h));
    }
    if (Double.isInfinite(target)) {
      return;
    }
    double error = Math.abs(target - magnitude(wire, code));
    for (int neighbour : new int[] {code - 1, code + 1}) {
      if (neighbour < 0 || neighbour > infinityCode(wire)) {
        continue;
      }
      double other = Math.abs(target - magnitude(wire, neighbour));
      if (other < error || (other == error && (code & 1) != 0)) {
        fail(wire + " of " + value + " (" + Integer.toHexString(Float.floatToRawIntBits(value))
            + "): got " + Integer.toHexString(h) + " = " + widen(wire, h) + ", but "
            + Integer.toHexString(neighbour | (h & 0x8000)) + " is "
            + (other < error ? "nearer" : "as near and even"));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Wire.class)
  void roundIsNarrowThenWidenAndFp32KeepsEveryBit(Wire wire) {
    Random random = new Random(5);
    for (int i = 0; i < 10_000; i++) {
      float value = Float.intBitsToFloat(random.nextInt());
      float rounded = HalfFloats.round(value, wire);
      if (wire == Wire.FP32) {
        assertThat(Float.floatToRawIntBits(rounded)).isEqualTo(Float.floatToRawIntBits(value));
      } else if (!Float.isNaN(value)) {
        assertThat(Float.floatToRawIntBits(rounded))
            .isEqualTo(Float.floatToRawIntBits(widen(wire, narrow(wire, value))));
      }
    }
  }

  /** The array forms that chunks go through give the scalar forms' bits, odd lengths included. */
  @ParameterizedTest
  @EnumSource(value = Wire.class, names = {"BF16", "FP16"})
  void arrayFormsAgreeWithTheScalarOnes(Wire wire) {
    Random random = new Random(17);
    for (int length : new int[] {0, 1, 7, 100, 4093}) {
      int[] bits = new int[length + 3];
      float[] values = new float[length];
      for (int i = 0; i < length; i++) {
        values[i] = i % 3 == 0 ? Float.intBitsToFloat(random.nextInt())
            : Float.intBitsToFloat((random.nextInt() & 0x807f_ffff)
                | ((97 + random.nextInt(47)) << 23));
        bits[i] = Float.floatToRawIntBits(values[i]);
      }
      bits[length] = 0x1234_5678; // beyond count: left alone
      HalfFloats.narrow(wire, bits, length, new int[length]);
      for (int i = 0; i < length; i++) {
        assertThat(bits[i]).as("%s narrowing of %s", wire, values[i])
            .isEqualTo(narrow(wire, values[i]) & 0xffff);
      }
      HalfFloats.widen(wire, bits, length);
      for (int i = 0; i < length; i++) {
        assertThat(bits[i]).as("%s widening of element %d", wire, i)
            .isEqualTo(Float.floatToRawIntBits(widen(wire, narrow(wire, values[i]))));
      }
      assertThat(bits[length]).isEqualTo(0x1234_5678);
    }
  }
}
