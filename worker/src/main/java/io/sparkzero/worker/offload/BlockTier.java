package io.sparkzero.worker.offload;

import java.io.IOException;

/**
 * Where offloaded blocks rest between optimizer passes: native host memory or a file on a local
 * disk. Only the rank's {@link IoLoop} calls it. Every block starts as zeros.
 */
interface BlockTier extends AutoCloseable {

  /** Copies block {@code block} (every slot, {@code floats} valid elements each) into {@code to}. */
  void load(int block, Staging to, int floats) throws IOException;

  /** Stores {@code from}'s {@code floats} valid elements per slot as block {@code block}. */
  void store(int block, Staging from, int floats) throws IOException;

  /** Bytes of the rank's memory this tier holds (0 for a disk tier). */
  long memoryBytes();

  /** Bytes this tier holds on disk. */
  long diskBytes();

  /** Alignment the staging I/O buffers need, or 0 when the tier copies arrays directly. */
  int ioAlignBytes();

  /** Frees the tier's memory, closes and deletes its files. */
  @Override
  void close();
}
