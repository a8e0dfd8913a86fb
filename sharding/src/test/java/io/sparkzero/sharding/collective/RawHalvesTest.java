package io.sparkzero.sharding.collective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkzero.sharding.collective.TestBlocks.Held;
import io.sparkzero.sharding.collective.TestBlocks.Memory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import java.util.stream.Stream;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * 16-bit chunks between blocks of either memory and a stand-in for Aeron's off-heap log buffer,
 * against {@link HalfFloats}' scalar forms, for odd and even chunk lengths.
 */
class RawHalvesTest {
  private static final int CHUNK = 64;
  private static final int[] COUNTS = {1, 2, 3, 17, CHUNK - 1, CHUNK};
  private static final int AT = 8;
  private static final byte UNTOUCHED = 0x5a;

  static Stream<Arguments> cases() {
    return Stream.of(Wire.BF16, Wire.FP16).flatMap(wire -> Stream.of(Memory.values())
        .map(memory -> Arguments.of(wire, memory)));
  }

  private static UnsafeBuffer logBuffer() {
    UnsafeBuffer log = new UnsafeBuffer(ByteBuffer.allocateDirect(4 * CHUNK)
        .order(ByteOrder.nativeOrder()));
    log.setMemory(0, log.capacity(), UNTOUCHED);
    return log;
  }

  /** Floats of every sign and of magnitudes 2^-26 (fp16 subnormals) to 2^18 (fp16 overflow). */
  private static float[] values(int size, long seed) {
    Random random = new Random(seed);
    float[] values = new float[size];
    for (int i = 0; i < size; i++) {
      values[i] = (float) ((random.nextBoolean() ? 1 : -1) * Math.scalb(1 + random.nextDouble(),
          random.nextInt(45) - 26));
    }
    return values;
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void putThenGetGivesTheRoundedValuesAndWritesExactlyTwoBytesAnElement(Wire wire, Memory memory) {
    RawHalves halves = new RawHalves(CHUNK);
    for (int count : COUNTS) {
      float[] input = values(count + 2, count);
      Held source = TestBlocks.hold(memory, input);
      UnsafeBuffer log = logBuffer();
      halves.put(wire, source.block, 1, count, log, AT);
      assertThat(log.getByte(AT - 1)).isEqualTo(UNTOUCHED);
      assertThat(log.getByte(AT + 2 * count)).as("byte after %d elements", count)
          .isEqualTo(UNTOUCHED);
      assertThat(source.values("source")).as("put leaves its source alone").containsExactly(input);
      Held target = TestBlocks.hold(memory, new float[count + 2]);
      halves.get(wire, log, AT, target.block, 1, count);
      float[] got = target.values("get");
      assertThat(got[0]).isZero();
      assertThat(got[count + 1]).isZero();
      for (int i = 0; i < count; i++) {
        assertThat(got[1 + i]).as("element %d of %d", i, count)
            .isEqualTo(HalfFloats.round(input[1 + i], wire));
      }
    }
  }

  /**
   * The documented layout: word {@code i} pairs element {@code i} (low half) with element {@code
   * h + i} (high half), {@code h = ceil(count / 2)}; an odd count's element {@code h - 1} follows
   * as one 16-bit value.
   */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void elementsHalfAChunkApartShareAWord(Wire wire, Memory memory) {
    float[] input = {1, 2, 3, 4, 5};
    UnsafeBuffer log = logBuffer();
    new RawHalves(CHUNK).put(wire, TestBlocks.hold(memory, input).block, 0, 5, log, AT);
    ByteOrder order = ByteOrder.nativeOrder();
    int[] expectedLow = {0, 1};
    int[] expectedHigh = {3, 4};
    for (int i = 0; i < 2; i++) {
      int word = log.getInt(AT + 4 * i, order);
      assertThat(widen(wire, word & 0xffff)).isEqualTo(input[expectedLow[i]]);
      assertThat(widen(wire, word >>> 16)).isEqualTo(input[expectedHigh[i]]);
    }
    assertThat(widen(wire, log.getShort(AT + 8, order) & 0xffff)).isEqualTo(input[2]);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void addWidensAndAddsInFp32IntoTheRangeOnly(Wire wire, Memory memory) {
    RawHalves halves = new RawHalves(CHUNK);
    for (int count : COUNTS) {
      float[] sent = values(count, 100 + count);
      float[] own = values(count + 2, 200 + count);
      UnsafeBuffer log = logBuffer();
      halves.put(wire, TestBlocks.hold(memory, sent).block, 0, count, log, AT);
      Held sum = TestBlocks.hold(memory, own);
      halves.add(wire, log, AT, sum.block, 1, count);
      float[] got = sum.values("add");
      assertThat(got[0]).isEqualTo(own[0]);
      assertThat(got[count + 1]).isEqualTo(own[count + 1]);
      for (int i = 0; i < count; i++) {
        float expected = own[1 + i] + HalfFloats.round(sent[i], wire);
        assertThat(Float.floatToRawIntBits(got[1 + i])).as("element %d of %d", i, count)
            .isEqualTo(Float.floatToRawIntBits(expected));
      }
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void putRoundingLeavesTheSourceHoldingWhatWasSent(Wire wire, Memory memory) {
    float[] input = values(CHUNK - 1, 7);
    Held source = TestBlocks.hold(memory, input);
    UnsafeBuffer log = logBuffer();
    new RawHalves(CHUNK).putRounding(wire, source.block, 0, input.length, log, AT);
    Held received = TestBlocks.hold(memory, new float[input.length]);
    new RawHalves(CHUNK).get(wire, log, AT, received.block, 0, input.length);
    assertThat(source.values("rounded source")).containsExactly(received.values("received"));
    for (int i = 0; i < input.length; i++) {
      assertThat(source.values("rounded source")[i]).isEqualTo(HalfFloats.round(input[i], wire));
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void roundWorksThroughRegionsLongerThanAChunk(Wire wire, Memory memory) {
    float[] input = values(5 * CHUNK + 3, 9);
    Held data = TestBlocks.hold(memory, input);
    new RawHalves(CHUNK).round(wire, data.block, 2, input.length - 3);
    float[] got = data.values("round");
    assertThat(got[0]).isEqualTo(input[0]);
    assertThat(got[1]).isEqualTo(input[1]);
    assertThat(got[input.length - 1]).isEqualTo(input[input.length - 1]);
    for (int i = 2; i < input.length - 1; i++) {
      assertThat(got[i]).as("element %d", i).isEqualTo(HalfFloats.round(input[i], wire));
    }
  }

  @Test
  void chunksOutsideTheBlockOrLargerThanTheScratchAreRefused() {
    RawHalves halves = new RawHalves(4);
    FloatBlock block = TestBlocks.hold(Memory.NATIVE, new float[10]).block;
    UnsafeBuffer log = logBuffer();
    assertThatThrownBy(() -> halves.put(Wire.BF16, block, 8, 3, log, 0))
        .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("floats [8, 11)");
    assertThatThrownBy(() -> halves.get(Wire.BF16, log, 0, block, 0, 5))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageContaining("cannot stage a chunk of 5");
    assertThatThrownBy(() -> halves.add(Wire.FP16, log, log.capacity() - 2, block, 0, 2))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  private static float widen(Wire wire, int bits) {
    return wire == Wire.BF16
        ? HalfFloats.fromBf16((short) bits)
        : HalfFloats.fromFp16((short) bits);
  }
}
