package io.sparkzero.sharding.collective;

import static org.assertj.core.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.agrona.BufferUtil;

/**
 * {@link FloatBlock}s and {@link HalfBlock}s for tests, on the heap or in native memory. A native
 * block is the window of a direct buffer between guard values, which every write through the block
 * must leave alone; its contents are read back through the buffer, not through the block under
 * test.
 */
final class TestBlocks {
  /** Where a block's floats live. */
  enum Memory {
    HEAP,
    NATIVE
  }

  static final int GUARD_FLOATS = 3;
  static final float GUARD = -12_345.5f;
  /** The 16-bit guard value around native half blocks. */
  static final short HALF_GUARD = (short) 0x7d5a;

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

  /**
   * A half block of {@code memory} holding a copy of {@code bits}; a native one lies at {@link
   * org.agrona.BufferUtil#address} of a direct buffer in native order, between guards.
   */
  static HeldHalves holdHalves(Memory memory, short[] bits, Wire format) {
    if (memory == Memory.HEAP) {
      return new HeldHalves(HalfBlock.of(bits.clone(), format), null);
    }
    ByteBuffer buffer = ByteBuffer.allocateDirect((bits.length + 2 * GUARD_FLOATS) * Short.BYTES)
        .order(ByteOrder.nativeOrder());
    for (int i = 0; i < bits.length + 2 * GUARD_FLOATS; i++) {
      buffer.putShort(i * Short.BYTES, HALF_GUARD);
    }
    for (int i = 0; i < bits.length; i++) {
      buffer.putShort((GUARD_FLOATS + i) * Short.BYTES, bits[i]);
    }
    long address = BufferUtil.address(buffer) + GUARD_FLOATS * Short.BYTES;
    return new HeldHalves(HalfBlock.ofAddress(address, bits.length, format, buffer), buffer);
  }

  /** A half block and the memory behind it. */
  static final class HeldHalves {
    final HalfBlock block;
    private final short[] array;
    private final ByteBuffer buffer;

    private HeldHalves(HalfBlock block, ByteBuffer buffer) {
      this.block = block;
      this.array = buffer == null ? (short[]) block.base() : null;
      this.buffer = buffer;
    }

    /** The block's 16-bit values, read from the array or buffer behind it; checks guards first. */
    short[] bits(String what) {
      if (buffer == null) {
        return array.clone();
      }
      int length = block.length();
      for (int i = 0; i < GUARD_FLOATS; i++) {
        checkGuard(i, what);
        checkGuard(GUARD_FLOATS + length + i, what);
      }
      short[] bits = new short[length];
      for (int i = 0; i < length; i++) {
        bits[i] = buffer.getShort((GUARD_FLOATS + i) * Short.BYTES);
      }
      return bits;
    }

    private void checkGuard(int index, String what) {
      short value = buffer.getShort(index * Short.BYTES);
      if (value != HALF_GUARD) {
        fail(what + ": guard value " + index + " of the direct buffer was overwritten: "
            + Integer.toHexString(value & 0xffff));
      }
    }
  }
}
