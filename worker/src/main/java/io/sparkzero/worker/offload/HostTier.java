package io.sparkzero.worker.offload;

import io.sparkzero.sharding.collective.FloatBlock;
import io.sparkzero.worker.model.FlatFloats;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Offloaded blocks in native host memory, outside the Java heap ({@code offload.*: host}): one
 * ND4J buffer per block, allocated once when the rank starts, so the pool is bounded by the
 * state's size, which the memory planner counts against the executor's off-heap memory.
 */
final class HostTier implements BlockTier {
  private final int slots;
  private final int blockFloats;
  private final INDArray[] arrays;
  private final FloatBlock[] blocks;

  HostTier(int slots, int blockFloats, int blockCount) {
    this.slots = slots;
    this.blockFloats = blockFloats;
    this.arrays = new INDArray[blockCount];
    this.blocks = new FloatBlock[blockCount];
    for (int b = 0; b < blockCount; b++) {
      arrays[b] = Nd4j.zeros(DataType.FLOAT, (long) slots * blockFloats);
      blocks[b] = FlatFloats.block(arrays[b]);
    }
  }

  @Override
  public void load(int block, Staging to, int floats) {
    for (int k = 0; k < slots; k++) {
      blocks[block].copyTo(k * blockFloats, to.arrays[k], 0, floats);
    }
  }

  @Override
  public void store(int block, Staging from, int floats) {
    for (int k = 0; k < slots; k++) {
      blocks[block].copyFrom(from.arrays[k], 0, k * blockFloats, floats);
    }
  }

  @Override
  public long memoryBytes() {
    return (long) arrays.length * slots * blockFloats * Float.BYTES;
  }

  @Override
  public long diskBytes() {
    return 0;
  }

  @Override
  public int ioAlignBytes() {
    return 0;
  }

  @Override
  public void close() {
    for (INDArray array : arrays) {
      if (array != null && !array.wasClosed()) {
        array.close();
      }
    }
  }
}
