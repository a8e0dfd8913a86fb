package io.sparkzero.sharding.collective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.sparkzero.sharding.collective.TestBlocks.Held;
import io.sparkzero.sharding.collective.TestBlocks.HeldHalves;
import io.sparkzero.sharding.collective.TestBlocks.Memory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import java.util.stream.Stream;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link HalfBlock} on the heap and in native memory (a direct buffer in native order, between
 * guards), in both formats, against {@link HalfFloats}' scalar conversions, which have tests of
 * their own: {@code get} widens as {@code fromFp16}/{@code fromBf16} do, for every 16-bit pattern;
 * {@code set} rounds as {@code toFp16}/{@code toBf16} do and writes one element; the chunked
 * {@code roundFrom} and {@code widenTo} equal {@code set} and {@code get} element by element, for
 * lengths 0, 1, odd and longer than one chunk of scratch, and touch nothing else. Also what the
 * collectives rely on: out-of-range access fails naming the range, fp32 is refused, and {@link
 * HalfChunks} puts messages in {@link RawHalves}' layout, so a 16-bit block and a float block
 * over a 16-bit wire send the same bytes.
 */
class HalfBlockTest {
  private static final int[] COUNTS = {0, 1, 7, 2 * HalfChunks.DEFAULT_ELEMENTS + 3};
  private static final int SRC_AT = 2;
  private static final int DST_AT = 3;
  private static final int EXTRA = 5;

  static Stream<Arguments> cases() {
    return Stream.of(Wire.BF16, Wire.FP16).flatMap(format -> Stream.of(Memory.values())
        .map(memory -> Arguments.of(format, memory)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void getWidensEveryPatternAsHalfFloatsDoes(Wire format, Memory memory) {
    short[] every = new short[1 << 16];
    for (int h = 0; h < every.length; h++) {
      every[h] = (short) h;
    }
    HeldHalves held = TestBlocks.holdHalves(memory, every, format);
    for (int h = 0; h < every.length; h++) {
      int got = Float.floatToRawIntBits(held.block.get(h));
      int expected = Float.floatToRawIntBits(widen(format, (short) h));
      if (got != expected) {
        fail(format + " pattern " + Integer.toHexString(h) + ": got float bits "
            + Integer.toHexString(got) + ", expected " + Integer.toHexString(expected));
      }
    }
    assertSameBits(held.bits("after get"), every, "get leaves the block alone");
    assertThat(held.block.length()).isEqualTo(every.length);
    assertThat(held.block.format()).isEqualTo(format);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void setRoundsAsHalfFloatsDoes(Wire format, Memory memory) {
    float[] values = floats(20_000, format.ordinal());
    HeldHalves held = TestBlocks.holdHalves(memory, new short[values.length], format);
    for (int i = 0; i < values.length; i++) {
      held.block.set(i, values[i]);
    }
    short[] expected = new short[values.length];
    for (int i = 0; i < values.length; i++) {
      expected[i] = narrow(format, values[i]);
    }
    assertSameBits(held.bits("after set"), expected, format + " set");
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void setWritesOneElementOnly(Wire format, Memory memory) {
    short[] before = patterns(5, 1);
    HeldHalves held = TestBlocks.holdHalves(memory, before, format);
    held.block.set(2, -3.25f);
    short[] expected = before.clone();
    expected[2] = narrow(format, -3.25f);
    assertSameBits(held.bits("after set"), expected, "set of element 2");
    assertThat(held.block.get(2)).isEqualTo(-3.25f);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void roundFromEqualsSetElementByElement(Wire format, Memory memory) {
    for (Memory floatMemory : Memory.values()) {
      for (int count : COUNTS) {
        String what = format + " " + memory + " from " + floatMemory + " floats, count " + count;
        float[] values = floats(count + SRC_AT + EXTRA, count);
        Held src = TestBlocks.hold(floatMemory, values);
        short[] before = patterns(count + DST_AT + EXTRA, count);
        HeldHalves held = TestBlocks.holdHalves(memory, before, format);
        held.block.roundFrom(src.block, SRC_AT, DST_AT, count);
        HalfBlock model = HalfBlock.of(before.clone(), format);
        for (int i = 0; i < count; i++) {
          model.set(DST_AT + i, values[SRC_AT + i]);
        }
        assertSameBits(held.bits(what), (short[]) model.base(), what);
        assertSameBits(src.values(what), values, what + ": the source");
      }
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void widenToEqualsGetElementByElement(Wire format, Memory memory) {
    for (Memory floatMemory : Memory.values()) {
      for (int count : COUNTS) {
        String what = format + " " + memory + " to " + floatMemory + " floats, count " + count;
        short[] bits = patterns(count + SRC_AT + EXTRA, count);
        HeldHalves held = TestBlocks.holdHalves(memory, bits, format);
        float[] before = floats(count + DST_AT + EXTRA, count + 1);
        Held dst = TestBlocks.hold(floatMemory, before);
        held.block.widenTo(SRC_AT, dst.block, DST_AT, count);
        float[] expected = before.clone();
        for (int i = 0; i < count; i++) {
          expected[DST_AT + i] = held.block.get(SRC_AT + i);
        }
        assertSameBits(dst.values(what), expected, what);
        assertSameBits(held.bits(what), bits, what + ": the source");
      }
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void accessOutsideTheBlockFailsNamingTheRange(Wire format, Memory memory) {
    HalfBlock block = TestBlocks.holdHalves(memory, new short[5], format).block;
    String blockName = (memory == Memory.HEAP ? "an array of 5 " : "native memory of 5 ")
        + format.configValue() + " values";
    assertThatThrownBy(() -> block.get(5)).isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageStartingWith("elements [5, 6) outside " + blockName);
    assertThatThrownBy(() -> block.get(-1)).isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageStartingWith("elements [-1, 0) outside " + blockName);
    assertThatThrownBy(() -> block.set(5, 1f)).isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageStartingWith("elements [5, 6) outside " + blockName);
    FloatBlock floats = FloatBlock.of(new float[10]);
    assertThatThrownBy(() -> block.roundFrom(floats, 0, 3, 3))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageStartingWith("elements [3, 6) outside " + blockName);
    assertThatThrownBy(() -> block.widenTo(4, floats, 0, 2))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageStartingWith("elements [4, 6) outside " + blockName);
    assertThatThrownBy(() -> block.widenTo(0, floats, 0, -1))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageStartingWith("elements [0, -1) outside " + blockName);
    assertThatThrownBy(() -> block.roundFrom(floats, 9, 0, 2))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageStartingWith("floats [9, 11) outside an array of 10 floats");
    assertThatThrownBy(() -> block.widenTo(0, floats, 9, 2))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageStartingWith("floats [9, 11) outside an array of 10 floats");
    assertThat(floats.heapArray()).containsOnly(0f);
  }

  @Test
  void fp32IsRefusedAndANativeBlockNeedsAnAddress() {
    ByteBuffer memory = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
    long address = BufferUtil.address(memory);
    assertThatThrownBy(() -> HalfBlock.of(new short[2], Wire.FP32))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a half block holds fp16 or bf16 elements, not fp32");
    assertThatThrownBy(() -> HalfBlock.ofAddress(address, 4, Wire.FP32, memory))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a half block holds fp16 or bf16 elements, not fp32");
    assertThatThrownBy(() -> HalfBlock.of(new short[2], null))
        .isInstanceOf(NullPointerException.class).hasMessage("format");
    assertThatThrownBy(() -> HalfBlock.ofAddress(0, 1, Wire.BF16, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected length >= 0 and a non-zero address");
    assertThatThrownBy(() -> HalfBlock.ofAddress(address, -1, Wire.BF16, memory))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("native block of -1 16-bit values");
    assertThat(HalfBlock.ofAddress(0, 0, Wire.FP16, null).length()).isZero();
    assertThat(HalfBlock.ofAddress(address, 4, Wire.FP16, memory))
        .hasToString("HalfBlock[native memory of 4 fp16 values at 0x"
            + Long.toHexString(address) + "]");
  }

  /**
   * A chunk that {@link HalfChunks} puts from a half block is what {@link RawHalves} puts from its
   * widened floats, byte for byte, and each reads the other's: senders of either kind of block can
   * meet on one ring. Only the chunk's {@code 2 * count} bytes are written.
   */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void chunksTravelInTheLayoutOfRawHalves(Wire format, Memory memory) {
    int chunk = 64;
    HalfChunks chunks = new HalfChunks(chunk);
    RawHalves halves = new RawHalves(chunk);
    for (int count : new int[] {1, 2, 3, 17, chunk - 1, chunk}) {
      String what = format + " chunk of " + count;
      short[] bits = finitePatterns(count + 1, format, count);
      HeldHalves held = TestBlocks.holdHalves(memory, bits, format);
      float[] wide = new float[count];
      chunks.widen(held.block, 1, count, wide);
      UnsafeBuffer fromHalves = logBuffer(chunk);
      chunks.put(held.block, 1, count, fromHalves, 8);
      UnsafeBuffer fromFloats = logBuffer(chunk);
      halves.put(format, FloatBlock.of(wide), 0, count, fromFloats, 8);
      for (int b = 0; b < fromHalves.capacity(); b++) {
        if (fromHalves.getByte(b) != fromFloats.getByte(b)) {
          fail(what + ": byte " + b + " differs");
        }
      }
      assertThat(fromHalves.getByte(7)).isEqualTo((byte) 0x5a);
      assertThat(fromHalves.getByte(8 + 2 * count)).isEqualTo((byte) 0x5a);
      HeldHalves back = TestBlocks.holdHalves(memory, new short[count + 2], format);
      chunks.get(fromFloats, 8, back.block, 1, count);
      short[] expected = new short[count + 2];
      System.arraycopy(bits, 1, expected, 1, count);
      assertSameBits(back.bits(what), expected, what + " read back");
      float[] read = new float[count];
      halves.get(format, fromHalves, 8, FloatBlock.of(read), 0, count);
      assertSameBits(read, wide, what + " read as floats");
    }
  }

  private static UnsafeBuffer logBuffer(int chunk) {
    UnsafeBuffer log = new UnsafeBuffer(ByteBuffer.allocateDirect(4 * chunk)
        .order(ByteOrder.nativeOrder()));
    log.setMemory(0, log.capacity(), (byte) 0x5a);
    return log;
  }

  /**
   * Floats of every kind: any bit pattern (NaNs and infinities included), fp16's range with its
   * subnormals and overflow, and values next to ties of either format.
   */
  private static float[] floats(int size, long seed) {
    Random random = new Random(seed);
    float[] values = new float[size];
    for (int i = 0; i < size; i++) {
      switch (i % 4) {
        case 0:
          values[i] = Float.intBitsToFloat(random.nextInt());
          break;
        case 1:
          values[i] = Float.intBitsToFloat((random.nextInt() & 0x807f_ffff)
              | ((97 + random.nextInt(47)) << 23));
          break;
        case 2: // a float whose low 13 or 16 bits are a tie, or one off it
          int tie = random.nextBoolean() ? 0x1000 : 0x8000;
          values[i] = Float.intBitsToFloat((random.nextInt() & ~(2 * tie - 1)) + tie
              + random.nextInt(3) - 1);
          break;
        default:
          values[i] = (float) ((random.nextBoolean() ? 1 : -1) * Math.scalb(1 + random.nextDouble(),
              random.nextInt(40) - 20));
          break;
      }
    }
    return values;
  }

  /** Random 16-bit patterns, NaNs and infinities included. */
  private static short[] patterns(int size, long seed) {
    Random random = new Random(seed);
    short[] bits = new short[size];
    for (int i = 0; i < size; i++) {
      bits[i] = (short) random.nextInt();
    }
    return bits;
  }

  /** Random finite 16-bit values of {@code format} (their widened floats round back to them). */
  private static short[] finitePatterns(int size, Wire format, long seed) {
    short[] bits = patterns(size, seed);
    int infinity = format == Wire.BF16 ? 0x7f80 : 0x7c00;
    for (int i = 0; i < size; i++) {
      if ((bits[i] & infinity) == infinity) {
        bits[i] ^= 0x4000;
      }
    }
    return bits;
  }

  private static float widen(Wire format, short bits) {
    return format == Wire.BF16 ? HalfFloats.fromBf16(bits) : HalfFloats.fromFp16(bits);
  }

  private static short narrow(Wire format, float value) {
    return format == Wire.BF16 ? HalfFloats.toBf16(value) : HalfFloats.toFp16(value);
  }

  static void assertSameBits(short[] actual, short[] expected, String what) {
    assertThat(actual.length).as(what + ": length").isEqualTo(expected.length);
    for (int i = 0; i < expected.length; i++) {
      if (actual[i] != expected[i]) {
        fail(what + ": first difference at element " + i + " of " + expected.length + ": got "
            + Integer.toHexString(actual[i] & 0xffff) + ", expected "
            + Integer.toHexString(expected[i] & 0xffff));
      }
    }
  }

  static void assertSameBits(float[] actual, float[] expected, String what) {
    assertThat(actual.length).as(what + ": length").isEqualTo(expected.length);
    for (int i = 0; i < expected.length; i++) {
      int got = Float.floatToRawIntBits(actual[i]);
      int wanted = Float.floatToRawIntBits(expected[i]);
      if (got != wanted) {
        fail(what + ": first difference at element " + i + " of " + expected.length + ": got "
            + actual[i] + " (" + Integer.toHexString(got) + "), expected " + expected[i] + " ("
            + Integer.toHexString(wanted) + ")");
      }
    }
  }
}
