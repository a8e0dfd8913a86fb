package io.sparkzero.worker.train;

import io.sparkzero.sharding.collective.FloatBlock;
import io.sparkzero.sharding.plan.LayerSchedule;
import io.sparkzero.sharding.plan.PartitionPlan;
import io.sparkzero.sharding.plan.Range;
import io.sparkzero.worker.model.FlatFloats;
import io.sparkzero.worker.model.LayerwisePass;
import java.util.concurrent.CompletableFuture;

/**
 * Where each layer's parameters are at ZeRO stage 3, as an explicit state per layer:
 * {@link State#SHARDED} (only the ranks' shards exist), {@link State#GATHERING} (an all-gather into
 * a buffer of the layer's size is queued on the {@link CommAgent}) or {@link State#GATHERED} (the
 * buffer holds the whole layer and the layer is bound to it). Releasing gives the buffer back, so the
 * parameter memory of a step is the shard plus the layers in flight, never the whole model. Only
 * the training thread calls this class.
 */
final class LayerGathers {

  /** A layer's parameter state. */
  enum State {
    SHARDED,
    GATHERING,
    GATHERED
  }

  private final PartitionPlan plan;
  private final Range shard;
  private final ParamShard paramShard;
  private final LayerwisePass pass;
  private final StepBuffers buffers;
  private final State[] states;
  private final StepBuffers.Lease[] gathered;
  private final CompletableFuture<?>[] pending;

  /** @param paramShard this rank's parameters */
  LayerGathers(PartitionPlan plan, int rank, ParamShard paramShard, LayerwisePass pass,
      StepBuffers buffers) {
    this.plan = plan;
    this.shard = plan.shard(rank);
    this.paramShard = paramShard;
    this.pass = pass;
    this.buffers = buffers;
    int layers = plan.layerCount();
    this.states = new State[layers];
    this.gathered = new StepBuffers.Lease[layers];
    this.pending = new CompletableFuture<?>[layers];
    java.util.Arrays.fill(states, State.SHARDED);
  }

  State state(int layer) {
    return states[layer];
  }

  /** Queues the all-gather of {@code layer} unless it is already gathering or gathered. */
  void request(int layer, CommAgent agent) {
    if (layer < 0 || layer >= states.length || states[layer] != State.SHARDED) {
      return;
    }
    Range range = plan.layer(layer);
    StepBuffers.Lease lease = buffers.take(LayerSchedule.Kind.PARAMS, layer, range.length());
    FloatBlock block = FlatFloats.block(lease.staging());
    int[] bounds = plan.boundsWithin(range);
    Range own = range.intersect(shard);
    Runnable ownPart = own.isEmpty() ? () -> {}
        : paramShard.fetch(own.from() - shard.from(), block, own.from() - range.from(),
            own.length());
    gathered[layer] = lease;
    states[layer] = State.GATHERING;
    pending[layer] = agent.submit("gather " + plan.layerName(layer), collectives -> {
      ownPart.run();
      collectives.allGather(block, bounds);
      lease.fromStaging(); // 16-bit compute: the fp32 layer rounded into the bound buffer
    });
  }

  /** Makes {@code layer} gathered and bound (waiting for its gather), prefetching {@code next}. */
  void acquire(int layer, int[] next, CommAgent agent) {
    request(layer, agent);
    for (int n : next) {
      request(n, agent);
    }
    if (states[layer] == State.GATHERING) {
      CommAgent.await(pending[layer]);
      pending[layer] = null;
      pass.bindParams(layer, gathered[layer].array());
      states[layer] = State.GATHERED;
    }
  }

  /**
   * Gives {@code layer}'s gathered parameters back; the layer must not run until acquired again
   * (it still points at elements that may by then hold another layer's buffer).
   */
  void release(int layer) {
    if (states[layer] == State.GATHERING) {
      CommAgent.await(pending[layer]);
      pending[layer] = null;
    }
    if (states[layer] != State.SHARDED) {
      buffers.free(gathered[layer]);
      gathered[layer] = null;
      states[layer] = State.SHARDED;
    }
  }
}
