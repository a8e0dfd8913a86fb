package io.sparkzero.worker.checkpoint;

import io.sparkzero.checkpoint.ShardWriter;
import io.sparkzero.sharding.collective.FloatBlock;
import io.sparkzero.worker.model.FlatFloats;
import io.sparkzero.worker.train.TrainerState;
import io.sparkzero.worker.train.ZeroTrainer;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A copy of a rank's shard of every {@link TrainerState} array, taken between two steps in native
 * memory (off the Java heap), so the shard can be written while training goes on.
 */
final class ShardSnapshot implements AutoCloseable {
  private static final int COPY_FLOATS = 1 << 20;

  private final List<String> arrays;
  private final INDArray[] copies;
  private final FloatBlock[] blocks;
  private final int length;

  private ShardSnapshot(List<String> arrays, int length) {
    this.arrays = arrays;
    this.length = length;
    this.copies = new INDArray[arrays.size()];
    this.blocks = new FloatBlock[arrays.size()];
    for (int i = 0; i < copies.length; i++) {
      copies[i] = Nd4j.createUninitialized(DataType.FLOAT, Math.max(1, length));
      blocks[i] = FlatFloats.block(copies[i]);
    }
  }

  /** Copies {@code trainer}'s shard of every array now. */
  static ShardSnapshot of(ZeroTrainer trainer) {
    List<String> arrays = TrainerState.arrays(trainer.optimizerState().slots());
    ShardSnapshot snapshot = new ShardSnapshot(arrays, trainer.shard().length());
    int[] filled = new int[arrays.size()];
    TrainerState.save(trainer, (array, src, offset, count) -> {
      int i = arrays.indexOf(array);
      snapshot.blocks[i].copyFrom(src, offset, filled[i], count);
      filled[i] += count;
    });
    return snapshot;
  }

  /** Bytes of native memory the copy holds. */
  long bytes() {
    return (long) copies.length * Math.max(1, length) * Float.BYTES;
  }

  /** Writes every array, in order, to {@code writer}. */
  void writeTo(ShardWriter writer) {
    float[] chunk = new float[Math.max(1, Math.min(COPY_FLOATS, length))];
    for (int i = 0; i < blocks.length; i++) {
      for (int at = 0; at < length; at += chunk.length) {
        int n = Math.min(chunk.length, length - at);
        blocks[i].copyTo(at, chunk, 0, n);
        writer.write(arrays.get(i), chunk, 0, n);
      }
    }
  }

  @Override
  public void close() {
    for (INDArray copy : copies) {
      copy.close();
    }
  }
}
