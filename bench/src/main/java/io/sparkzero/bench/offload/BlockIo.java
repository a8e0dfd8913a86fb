package io.sparkzero.bench.offload;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One way of reading and writing whole blocks of one file, block b at byte {@code b * blockBytes},
 * which is how the nvme offload tier uses its file. An instance serves one timed pass and is closed
 * after it, so nothing it holds (a mapping) keeps the file's pages in memory across the page-cache
 * drop before the next pass.
 */
interface BlockIo extends AutoCloseable {
  /**
   * Copies block {@code block} into the first block-size bytes of {@code to}; its position and
   * limit on return are unspecified.
   */
  void read(int block, ByteBuffer to) throws IOException;

  /** Copies the first block-size bytes of {@code from} to block {@code block}. */
  void write(int block, ByteBuffer from) throws IOException;

  /** Makes every write so far durable on the disk: part of each timed pass that writes. */
  void force() throws IOException;

  @Override
  void close() throws IOException;
}
