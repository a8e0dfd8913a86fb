package io.sparkzero.worker.train;

import io.sparkzero.sharding.collective.FloatBlock;
import io.sparkzero.sharding.plan.LayerSchedule;
import io.sparkzero.sharding.plan.PartitionPlan;
import io.sparkzero.sharding.plan.Range;
import io.sparkzero.worker.model.FlatFloats;
import io.sparkzero.worker.model.LayerwisePass;
import io.sparkzero.worker.optim.ShardStepper;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The gradient path of ZeRO stages 2 and 3: each layer's backward writes into a buffer of the
 * layer's size; as soon as the layer is done its gradient is reduce-scattered on the
 * {@link CommAgent}, overlapping the backward of the layers below, the part in this rank's shard
 * is copied into the persistent gradient shard, and the buffer is given back. The full gradient never
 * exists on a rank; the bucket is the layer, DL4J's unit of backward.
 *
 * <p>At most {@link #IN_FLIGHT} layer gradients exist at once (one being filled, one being
 * reduced): the training thread waits for the agent before starting a third, so a slow network
 * cannot make gradients pile up into a full copy.
 */
final class LayerGradients {
  static final int IN_FLIGHT = 2;

  private final PartitionPlan plan;
  private final Range shard;
  private final FloatBlock gradShard;
  private final LayerwisePass pass;
  private final StepBuffers buffers;
  private final Semaphore slots = new Semaphore(IN_FLIGHT);
  private final StepBuffers.Lease[] bound;
  private boolean accumulate;
  // Agent-thread scratch for adding a reduced layer part into the shard, a chunk at a time.
  private final float[] reducedChunk = new float[ShardStepper.CHUNK_FLOATS];
  private final float[] shardChunk = new float[ShardStepper.CHUNK_FLOATS];

  /** @param gradShard this rank's gradient shard, index 0 = flat element {@code shard.from()} */
  LayerGradients(PartitionPlan plan, int rank, FloatBlock gradShard, LayerwisePass pass,
      StepBuffers buffers) {
    this.plan = plan;
    this.shard = plan.shard(rank);
    this.gradShard = gradShard;
    this.pass = pass;
    this.buffers = buffers;
    this.bound = new StepBuffers.Lease[plan.layerCount()];
  }

  /**
   * Binds a new buffer as {@code layer}'s gradient, before its backward, once fewer than {@link
   * #IN_FLIGHT} gradients are in flight (fails if {@code agent} failed meanwhile).
   */
  void bind(int layer, CommAgent agent) {
    try {
      while (!slots.tryAcquire(100, TimeUnit.MILLISECONDS)) {
        agent.throwIfFailed();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for a gradient buffer", e);
    }
    StepBuffers.Lease lease =
        buffers.take(LayerSchedule.Kind.GRADIENTS, layer, plan.layer(layer).length());
    bound[layer] = lease;
    pass.bindGradients(layer, lease.array());
  }

  /**
   * Starts a micro-batch's backward: the first of a step overwrites the gradient shard, later ones
   * (gradient accumulation) add to it.
   */
  void beginMicroBatch(boolean addToShard) {
    accumulate = addToShard;
  }

  /** Adds {@code count} reduced floats from {@code from} of {@code block} into the shard. */
  private void addInto(FloatBlock block, int from, int shardFrom, int count) {
    for (int done = 0; done < count; done += reducedChunk.length) {
      int n = Math.min(reducedChunk.length, count - done);
      block.copyTo(from + done, reducedChunk, 0, n);
      gradShard.copyTo(shardFrom + done, shardChunk, 0, n);
      for (int i = 0; i < n; i++) {
        shardChunk[i] += reducedChunk[i];
      }
      gradShard.copyFrom(shardChunk, 0, shardFrom + done, n);
    }
  }

  /** Queues the reduce-scatter of {@code layer}'s finished gradient into the shard. */
  void reduce(int layer, CommAgent agent) {
    StepBuffers.Lease lease = bound[layer];
    bound[layer] = null;
    Range range = plan.layer(layer);
    FloatBlock block = FlatFloats.block(lease.staging());
    boolean add = accumulate;
    int[] bounds = plan.boundsWithin(range);
    Range own = range.intersect(shard);
    agent.submit("reduce-scatter " + plan.layerName(layer), collectives -> {
      try {
        lease.toStaging(); // 16-bit compute: widened to fp32, which the collectives move
        collectives.reduceScatterSum(block, bounds);
        if (!own.isEmpty()) {
          if (add) {
            addInto(block, own.from() - range.from(), own.from() - shard.from(), own.length());
          } else {
            block.copyTo(own.from() - range.from(), gradShard, own.from() - shard.from(),
                own.length());
          }
        }
      } finally {
        buffers.free(lease);
        slots.release();
      }
    });
  }
}
