package io.sparkzero.sharding.collective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkzero.sharding.collective.TestBlocks.Held;
import io.sparkzero.sharding.collective.TestBlocks.Memory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Moves between blocks of either memory and a stand-in for Aeron's off-heap log buffer. */
class RawFloatsTest {
  private static final float[] FIVE = {1, 2, 3, 4, 5};

  private static UnsafeBuffer logBuffer() {
    return new UnsafeBuffer(ByteBuffer.allocateDirect(64).order(ByteOrder.nativeOrder()));
  }

  @ParameterizedTest
  @EnumSource(Memory.class)
  void putWritesNativeFloatsAtTheByteIndex(Memory memory) {
    UnsafeBuffer log = logBuffer();
    RawFloats.put(TestBlocks.hold(memory, FIVE).block, 1, 3, log, 8);
    assertThat(new float[] {log.getFloat(8), log.getFloat(12), log.getFloat(16)})
        .containsExactly(2, 3, 4);
    assertThat(log.getFloat(4)).isZero();
    assertThat(log.getFloat(20)).isZero();
  }

  @ParameterizedTest
  @EnumSource(Memory.class)
  void getCopiesAndAddSumsIntoTheRangeOnly(Memory memory) {
    UnsafeBuffer log = logBuffer();
    for (int i = 0; i < 3; i++) {
      log.putFloat(4 + i * Float.BYTES, 10 * (i + 1));
    }
    Held copied = TestBlocks.hold(memory, FIVE);
    RawFloats.get(log, 4, copied.block, 2, 3);
    assertThat(copied.values("get")).containsExactly(1, 2, 10, 20, 30);
    Held summed = TestBlocks.hold(memory, FIVE);
    RawFloats.add(log, 4, summed.block, 1, 3, new float[4], new float[4]);
    assertThat(summed.values("add")).containsExactly(1, 12, 23, 34, 5);
  }

  @ParameterizedTest
  @EnumSource(Memory.class)
  void rangesOutsideTheBlockOrScratchAreRefused(Memory memory) {
    UnsafeBuffer log = logBuffer();
    FloatBlock block = TestBlocks.hold(memory, FIVE).block;
    assertThatThrownBy(() -> RawFloats.put(block, 3, 3, log, 0))
        .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("floats [3, 6)");
    assertThatThrownBy(() -> RawFloats.get(log, 0, block, -1, 2))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> RawFloats.add(log, 0, block, 0, 3, new float[2], new float[4]))
        .hasMessageContaining("cannot stage a chunk of 3");
  }
}
