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

  Staging(int slots, int blockFloats, int ioAlignBytes) {
    this.arrays = new float[slots][blockFloats];
    if (ioAlignBytes > 0) {
      int bytes = slots * blockFloats * Float.BYTES;
      this.io = ByteBuffer.allocateDirect(bytes + ioAlignBytes).alignedSlice(ioAlignBytes)
          .order(ByteOrder.nativeOrder());
    } else {
      this.io = null;
    }
  }

  /** Bytes this staging buffer holds (heap arrays plus the I/O buffer). */
  long bytes() {
    long floats = (long) arrays.length * (arrays.length == 0 ? 0 : arrays[0].length);
    return floats * Float.BYTES + (io == null ? 0 : io.capacity());
  }
}
