package io.sparkzero.worker.train;

import io.sparkzero.sharding.collective.FloatBlock;
import io.sparkzero.sharding.plan.PartitionPlan;
import io.sparkzero.sharding.plan.Range;
import io.sparkzero.worker.model.FlatFloats;
import io.sparkzero.worker.model.LayerwisePass;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Where each layer's parameters are at ZeRO stage 3, as an explicit state per layer:
 * {@link State#SHARDED} (only the rank's shard exists), {@link State#GATHERING} (an all-gather into
 * a slot is queued on the {@link CommAgent}) or {@link State#GATHERED} (the slot holds the whole
 * layer and the layer is bound to it).
 *
 * <p>Slots are a fixed pool of native buffers, each as long as the largest layer: the prefetched
 * layers, the computing layer and the output layer, which stays gathered from its forward into
 * the backward that immediately follows. So the parameter memory of a step is the shard plus
 * {@code prefetch + 2} layers, never the whole model. Only the training thread calls this class.
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
  private final FloatBlock paramShard;
  private final LayerwisePass pass;
  private final State[] states;
  private final INDArray[] bound;
  private final INDArray[] slotOf;
  private final CompletableFuture<?>[] pending;
  private final ArrayDeque<INDArray> freeSlots = new ArrayDeque<>();
  private final long slotBytes;

  /**
   * @param paramShard this rank's parameters, index 0 = flat element {@code shard.from()}
   * @param slots number of layer buffers (prefetch + 2)
   */
  LayerGathers(PartitionPlan plan, int rank, FloatBlock paramShard, LayerwisePass pass, int slots) {
    this.plan = plan;
    this.shard = plan.shard(rank);
    this.paramShard = paramShard;
    this.pass = pass;
    int layers = plan.layerCount();
    this.states = new State[layers];
    this.bound = new INDArray[layers];
    this.slotOf = new INDArray[layers];
    this.pending = new CompletableFuture<?>[layers];
    java.util.Arrays.fill(states, State.SHARDED);
    int slotLength = Math.max(1, plan.largestLayerLength());
    for (int i = 0; i < slots; i++) {
      freeSlots.add(Nd4j.createUninitialized(DataType.FLOAT, slotLength));
    }
    this.slotBytes = (long) slots * slotLength * Float.BYTES;
  }

  State state(int layer) {
    return states[layer];
  }

  /** Bytes of the slot pool. */
  long slotBytes() {
    return slotBytes;
  }

  /** Queues the all-gather of {@code layer} unless it is already gathering or gathered. */
  void request(int layer, CommAgent agent) {
    if (layer < 0 || layer >= states.length || states[layer] != State.SHARDED) {
      return;
    }
    INDArray slot = freeSlots.poll();
    if (slot == null) {
      throw new IllegalStateException("no free gather slot for layer " + plan.layerName(layer)
          + ": more layers in flight than the pool was sized for");
    }
    Range range = plan.layer(layer);
    INDArray view = slot.get(NDArrayIndex.interval(0, range.length()));
    FloatBlock block = FlatFloats.block(view);
    int[] bounds = plan.boundsWithin(range);
    Range own = range.intersect(shard);
    slotOf[layer] = slot;
    bound[layer] = view;
    states[layer] = State.GATHERING;
    pending[layer] = agent.submit("gather " + plan.layerName(layer), collectives -> {
      if (!own.isEmpty()) {
        paramShard.copyTo(own.from() - shard.from(), block, own.from() - range.from(), own.length());
      }
      collectives.allGather(block, bounds);
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
      pass.bindParams(layer, bound[layer]);
      states[layer] = State.GATHERED;
    }
  }

  /** Returns {@code layer}'s slot to the pool; the layer must not run until acquired again. */
  void release(int layer) {
    if (states[layer] == State.GATHERING) {
      CommAgent.await(pending[layer]);
      pending[layer] = null;
    }
    if (states[layer] != State.SHARDED) {
      freeSlots.add(slotOf[layer]);
      slotOf[layer] = null;
      bound[layer] = null;
      states[layer] = State.SHARDED;
    }
  }

  /** Releases every layer (end of a step, or after a failure). */
  void releaseAll() {
    for (int layer = 0; layer < states.length; layer++) {
      release(layer);
    }
  }
}
