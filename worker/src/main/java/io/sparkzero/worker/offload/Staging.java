package io.sparkzero.worker.offload;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One block of every state slot in flight between a tier and the optimizer: float arrays the
 * optimizer updates in place, and for file tiers a direct byte buffer aligned for direct I/O that
 * the I/O loop fills and drains. A block is laid out slot after slot ({@code blockFloats} each).
 */
final class Staging {
  final float[][] arrays;
  final ByteBuffer io;
  private final long bytes;

  Staging(int slots, int blockFloats, int ioAlignBytes) {
    this.arrays = new float[slots][blockFloats];
    long arrayBytes = (long) slots * blockFloats * Float.BYTES;
    if (ioAlignBytes > 0) {
      ByteBuffer direct = ByteBuffer.allocateDirect((int) arrayBytes + ioAlignBytes);
      this.io = direct.alignedSlice(ioAlignBytes).order(ByteOrder.nativeOrder());
      this.bytes = arrayBytes + direct.capacity();
    } else {
      this.io = null;
      this.bytes = arrayBytes;
    }
  }

  /** Bytes this staging buffer holds: heap arrays plus the direct buffer allocated for I/O. */
  long bytes() {
    return bytes;
  }
}
