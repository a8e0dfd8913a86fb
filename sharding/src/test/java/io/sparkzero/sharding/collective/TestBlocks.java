package io.sparkzero.sharding.collective;

import static org.assertj.core.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * {@link FloatBlock}s for tests, on the heap or in native memory. A native block is the window of a
 * direct buffer between guard floats, which every write through the block must leave alone; its
 * contents are read back through the buffer, not through the block under test.
 */
final class TestBlocks {
  /** Where a block's floats live. */
  enum Memory {
    HEAP,
    NATIVE
  }

  static final int GUARD_FLOATS = 3;
  static final float GUARD = -12_345.5f;

  private TestBlocks() {}

  /** A block of {@code memory} holding a copy of {@code values}. */
  static Held hold(Memory memory, float[] values) {
    if (memory == Memory.HEAP) {
      return new Held(FloatBlock.of(values.clone()), null);
    }
    ByteBuffer buffer = ByteBuffer.allocateDirect((values.length + 2 * GUARD_FLOATS) * Float.BYTES)
        .order(ByteOrder.nativeOrder());
    for (int i = 0; i < values.length + 2 * GUARD_FLOATS; i++) {
      buffer.putFloat(i * Float.BYTES, GUARD);
    }
    for (int i = 0; i < values.length; i++) {
      buffer.putFloat((GUARD_FLOATS + i) * Float.BYTES, values[i]);
    }
    ByteBuffer window = buffer.duplicate().order(ByteOrder.nativeOrder())
        .position(GUARD_FLOATS * Float.BYTES).limit((GUARD_FLOATS + values.length) * Float.BYTES);
    return new Held(FloatBlock.ofDirect(window), buffer);
  }

  /** A block and the memory behind it. */
  static final class Held {
    final FloatBlock block;
    private final ByteBuffer buffer;

    private Held(FloatBlock block, ByteBuffer buffer) {
      this.block = block;
      this.buffer = buffer;
    }

    /** The block's floats, read from the array or buffer behind it; checks the guards first. */
    float[] values(String what) {
      if (buffer == null) {
        return block.heapArray().clone();
      }
      int length = block.length();
      for (int i = 0; i < GUARD_FLOATS; i++) {
        checkGuard(i, what);
        checkGuard(GUARD_FLOATS + length + i, what);
      }
      float[] values = new float[length];
      for (int i = 0; i < length; i++) {
        values[i] = buffer.getFloat((GUARD_FLOATS + i) * Float.BYTES);
      }
      return values;
    }

    private void checkGuard(int index, String what) {
      float value = buffer.getFloat(index * Float.BYTES);
      if (value != GUARD) {
        fail(what + ": guard float " + index + " of the direct buffer was overwritten: " + value);
      }
    }
  }
}
