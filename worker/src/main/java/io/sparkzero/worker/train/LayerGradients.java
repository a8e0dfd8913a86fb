package io.sparkzero.worker.train;

import io.sparkzero.sharding.collective.FloatBlock;
import io.sparkzero.sharding.plan.PartitionPlan;
import io.sparkzero.sharding.plan.Range;
import io.sparkzero.worker.model.FlatFloats;
import io.sparkzero.worker.model.LayerwisePass;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The gradient path of ZeRO stages 2 and 3: each layer's backward writes into a buffer from a
 * small pool; as soon as the layer is done its gradient is reduce-scattered on the
 * {@link CommAgent}, overlapping the backward of the layers below, and the part that falls in
 * this rank's shard is copied into the persistent gradient shard. The full gradient never exists
 * on a rank; the bucket is the layer, DL4J's unit of backward.
 *
 * <p>Two buffers: one being filled by the backward, one being reduced. The training thread takes
 * a free buffer (waiting, if both are busy, for the agent to finish one) and the agent hands it
 * back, through a blocking queue.
 */
final class LayerGradients {
  static final int BUFFERS = 2;

  private final PartitionPlan plan;
  private final Range shard;
  private final FloatBlock gradShard;
  private final LayerwisePass pass;
  private final BlockingQueue<INDArray> free = new ArrayBlockingQueue<>(BUFFERS);
  private final INDArray[] inUse;
  private final long bufferBytes;

  /** @param gradShard this rank's gradient shard, index 0 = flat element {@code shard.from()} */
  LayerGradients(PartitionPlan plan, int rank, FloatBlock gradShard, LayerwisePass pass) {
    this.plan = plan;
    this.shard = plan.shard(rank);
    this.gradShard = gradShard;
    this.pass = pass;
    this.inUse = new INDArray[plan.layerCount()];
    int length = Math.max(1, plan.largestLayerLength());
    for (int i = 0; i < BUFFERS; i++) {
      free.add(Nd4j.createUninitialized(DataType.FLOAT, length));
    }
    this.bufferBytes = (long) BUFFERS * length * Float.BYTES;
  }

  long bufferBytes() {
    return bufferBytes;
  }

  /** Binds a free buffer as {@code layer}'s gradient view, before its backward. */
  void bind(int layer) {
    INDArray buffer;
    try {
      buffer = free.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for a gradient buffer", e);
    }
    inUse[layer] = buffer;
    pass.bindGradients(layer, buffer.get(NDArrayIndex.interval(0, plan.layer(layer).length())));
  }

  /** Queues the reduce-scatter of {@code layer}'s finished gradient into the shard. */
  void reduce(int layer, CommAgent agent) {
    INDArray buffer = inUse[layer];
    inUse[layer] = null;
    Range range = plan.layer(layer);
    FloatBlock block = FlatFloats.block(buffer.get(NDArrayIndex.interval(0, range.length())));
    int[] bounds = plan.boundsWithin(range);
    Range own = range.intersect(shard);
    agent.submit("reduce-scatter " + plan.layerName(layer), collectives -> {
      try {
        collectives.reduceScatterSum(block, bounds);
        if (!own.isEmpty()) {
          block.copyTo(own.from() - range.from(), gradShard, own.from() - shard.from(), own.length());
        }
      } finally {
        free.add(buffer);
      }
    });
  }
}
