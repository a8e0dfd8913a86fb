package io.sparkzero.sharding.collective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkzero.sharding.collective.TestBlocks.Held;
import io.sparkzero.sharding.collective.TestBlocks.Memory;
import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.agrona.BufferUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FloatBlockTest {
  private static final float[] SEVEN = {1, 2, 3, 4, 5, 6, 7};

  @Test
  void heapBlockIsTheWholeArrayInPlace() {
    float[] array = SEVEN.clone();
    FloatBlock block = FloatBlock.of(array);
    assertThat(block.length()).isEqualTo(7);
    assertThat(block.get(6)).isEqualTo(7f);
    block.set(2, -3.5f);
    assertThat(array[2]).isEqualTo(-3.5f);
    assertThat(block).hasToString("FloatBlock[an array of 7 floats]");
  }

  @Test
  void directBlockIsTheBufferFromPositionToLimitInNativeOrder() {
    ByteBuffer buffer = ByteBuffer.allocateDirect(40).order(ByteOrder.nativeOrder());
    buffer.putFloat(8, 2.5f).position(8).limit(32);
    FloatBlock block = FloatBlock.ofDirect(buffer);
    assertThat(block.length()).isEqualTo(6);
    assertThat(block.get(0)).isEqualTo(2.5f);
    block.set(5, 9.25f);
    assertThat(buffer.getFloat(28)).isEqualTo(9.25f);
    buffer.position(0);
    assertThat(block.get(5)).as("the window is fixed when the block is made").isEqualTo(9.25f);
    assertThat(block.toString()).startsWith("FloatBlock[native memory of 6 floats at 0x");
  }

  @Test
  void addressBlockSeesTheMemoryAtTheAddress() {
    ByteBuffer buffer = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
    FloatBlock block = FloatBlock.ofAddress(BufferUtil.address(buffer) + 4, 3, buffer);
    block.set(2, 4.75f);
    assertThat(buffer.getFloat(12)).isEqualTo(4.75f);
    buffer.putFloat(4, -1f);
    assertThat(block.get(0)).isEqualTo(-1f);
  }

  @Test
  void emptyBlocksOfEveryKindAcceptEmptyCopies() {
    ByteBuffer empty = ByteBuffer.allocateDirect(0).order(ByteOrder.nativeOrder());
    for (FloatBlock block : new FloatBlock[] {FloatBlock.of(new float[0]),
        FloatBlock.ofDirect(empty), FloatBlock.ofAddress(0, 0, null)}) {
      assertThat(block.length()).isZero();
      block.copyFrom(new float[0], 0, 0, 0);
      block.fill(0, 0, 1f);
      assertThatThrownBy(() -> block.get(0)).isInstanceOf(IndexOutOfBoundsException.class);
    }
  }

  @Test
  void directBuffersThatAreNotWritableNativeFloatsAreRefused() {
    assertThatThrownBy(() -> FloatBlock.ofDirect(ByteBuffer.allocate(16)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("heap ByteBuffer of 16 bytes").hasMessageContaining("allocateDirect");
    ByteBuffer direct = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
    assertThatThrownBy(() -> FloatBlock.ofDirect(direct.asReadOnlyBuffer()))
        .hasMessageContaining("read-only");
    ByteOrder foreign = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN
        ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
    assertThatThrownBy(() -> FloatBlock.ofDirect(direct.duplicate().order(foreign)))
        .hasMessageContaining(foreign.toString()).hasMessageContaining("nativeOrder()");
    assertThatThrownBy(() -> FloatBlock.ofDirect(direct.position(2)))
        .hasMessageContaining("14 bytes between position 2 and limit 16")
        .hasMessageContaining("not a whole number of 4-byte floats");
  }

  @Test
  void addressBlocksNeedALengthAndAnAddress() {
    assertThatThrownBy(() -> FloatBlock.ofAddress(0x1000, -1, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1 floats at address 0x1000");
    assertThatThrownBy(() -> FloatBlock.ofAddress(0, 4, null))
        .hasMessageContaining("non-zero address");
  }

  @ParameterizedTest
  @EnumSource(Memory.class)
  void accessOutsideTheBlockIsRefusedNamingRangeAndLength(Memory memory) {
    FloatBlock block = TestBlocks.hold(memory, SEVEN).block;
    assertThatThrownBy(() -> block.get(7)).isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageContaining("float 7 outside").hasMessageContaining("of 7 floats");
    assertThatThrownBy(() -> block.set(-1, 0f)).hasMessageContaining("float -1 outside");
    assertThatThrownBy(() -> block.copyTo(5, new float[10], 0, 3))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageContaining("floats [5, 8) outside").hasMessageContaining("of 7 floats");
    assertThatThrownBy(() -> block.copyFrom(new float[10], 0, 0, -1))
        .hasMessageContaining("[0, -1)");
    assertThatThrownBy(() -> block.copyTo(0, new float[2], 1, 2))
        .hasMessageContaining("array floats [1, 3) outside an array of 2 floats");
    assertThatThrownBy(() -> block.copyFrom(new float[2], 1, 0, 2))
        .hasMessageContaining("array floats [1, 3) outside an array of 2 floats");
    assertThatThrownBy(() -> block.copyTo(0, FloatBlock.of(new float[3]), 2, 2))
        .hasMessageContaining("floats [2, 4) outside an array of 3 floats");
    assertThatThrownBy(() -> block.fill(Integer.MAX_VALUE, 2, 0f))
        .hasMessageContaining("[2147483647, 2147483649)");
    assertThat(TestBlocks.hold(memory, SEVEN).values("after refused calls")).containsExactly(SEVEN);
  }

  @ParameterizedTest
  @EnumSource(Memory.class)
  void arrayCopiesMoveExactlyTheRangeAsked(Memory memory) {
    Held held = TestBlocks.hold(memory, new float[7]);
    held.block.copyFrom(SEVEN, 2, 1, 5);
    assertThat(held.values("copyFrom")).containsExactly(0, 3, 4, 5, 6, 7, 0);
    float[] out = {-1, -1, -1, -1};
    held.block.copyTo(2, out, 1, 2);
    assertThat(out).containsExactly(-1, 4, 5, -1);
  }

  @Test
  void blockCopiesWorkBetweenEveryPairOfMemoryKinds() {
    for (Memory from : Memory.values()) {
      for (Memory to : Memory.values()) {
        Held src = TestBlocks.hold(from, SEVEN);
        Held dst = TestBlocks.hold(to, new float[5]);
        src.block.copyTo(3, dst.block, 1, 3);
        assertThat(dst.values(from + " to " + to)).containsExactly(0, 4, 5, 6, 0);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Memory.class)
  void overlappingCopiesWithinOneBlockMoveLikeMemmove(Memory memory) {
    Held forward = TestBlocks.hold(memory, SEVEN);
    forward.block.copyTo(0, forward.block, 2, 5);
    assertThat(forward.values("shift up")).containsExactly(1, 2, 1, 2, 3, 4, 5);
    Held back = TestBlocks.hold(memory, SEVEN);
    back.block.copyTo(2, back.block, 0, 5);
    assertThat(back.values("shift down")).containsExactly(3, 4, 5, 6, 7, 6, 7);
  }

  @ParameterizedTest
  @EnumSource(Memory.class)
  void fillSetsExactlyTheRangeForEveryCount(Memory memory) {
    for (int count : new int[] {0, 1, 2, 3, 4, 5, 7, 8, 9, 1000}) {
      Held held = TestBlocks.hold(memory, new float[count + 3]);
      held.block.fill(1, count, 2.5f);
      float[] values = held.values("fill of " + count);
      float[] expected = new float[count + 3];
      Arrays.fill(expected, 1, 1 + count, 2.5f);
      FloatArrays.assertEqual(values, expected, "fill of " + count);
    }
  }

  /**
   * The owner passed with an address is the only strong path to it here: it must survive garbage
   * collections for as long as the block is reachable.
   */
  @Test
  void ownerStaysReachableWhileTheBlockIs() throws InterruptedException {
    ByteBuffer buffer = ByteBuffer.allocateDirect(64).order(ByteOrder.nativeOrder());
    FloatBlock block = FloatBlock.ofAddress(BufferUtil.address(buffer), 16, buffer);
    WeakReference<ByteBuffer> owner = new WeakReference<>(buffer);
    buffer = null;
    for (int i = 0; i < 3 && owner.get() != null; i++) {
      System.gc();
      Thread.sleep(10);
    }
    assertThat(owner.get()).isNotNull();
    block.fill(0, 16, 1f);
    assertThat(block.get(15)).isEqualTo(1f);
    Reference.reachabilityFence(block);
  }
}
