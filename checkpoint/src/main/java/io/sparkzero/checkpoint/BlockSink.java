package io.sparkzero.checkpoint;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.zip.CRC32C;

/**
 * Collects floats into one block (little-endian) and writes each full block followed by its
 * CRC32C. Holds one block, whatever the total length written through it.
 */
final class BlockSink {
  private final OutputStream out;
  private final byte[] bytes;
  private final FloatBuffer floats;
  private final byte[] crcBytes = new byte[ShardFormat.CRC_BYTES];
  private final CRC32C crc = new CRC32C();

  BlockSink(OutputStream out, int blockFloats) {
    this.out = out;
    this.bytes = new byte[blockFloats * Float.BYTES];
    this.floats = ShardFormat.littleEndian(bytes).asFloatBuffer();
  }

  /** Appends floats, writing each block as it fills. */
  void put(float[] src, int offset, int count) throws IOException {
    while (count > 0) {
      int n = Math.min(count, floats.remaining());
      floats.put(src, offset, n);
      offset += n;
      count -= n;
      if (!floats.hasRemaining()) {
        flush();
      }
    }
  }

  /** Writes the block held so far, if any: the last, shorter block of an array. */
  void flush() throws IOException {
    int length = floats.position() * Float.BYTES;
    if (length == 0) {
      return;
    }
    crc.reset();
    crc.update(bytes, 0, length);
    ByteBuffer.wrap(crcBytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue());
    out.write(bytes, 0, length);
    out.write(crcBytes);
    floats.clear();
  }
}
