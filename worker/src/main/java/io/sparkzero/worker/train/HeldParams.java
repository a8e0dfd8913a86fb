package io.sparkzero.worker.train;

import io.sparkzero.sharding.collective.Collectives;
import io.sparkzero.sharding.collective.FloatBlock;
import io.sparkzero.sharding.collective.HalfBlock;
import io.sparkzero.sharding.collective.Wire;
import io.sparkzero.sharding.plan.LayerSchedule;
import io.sparkzero.sharding.plan.PartitionPlan;
import io.sparkzero.sharding.plan.Range;
import io.sparkzero.sharding.plan.ZeroStage;
import io.sparkzero.worker.model.FlatFloats;
import io.sparkzero.worker.model.LayerwisePass;
import io.sparkzero.worker.model.TrainableModel;
import io.sparkzero.worker.offload.OffloadOptions;
import io.sparkzero.worker.optim.ParamChunks;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The parameters a stage 2-3 rank holds between steps ({@link LayerwiseStep}), chosen once when
 * the step is built:
 *
 * <ul>
 *   <li>{@link Replica}, stage 2 in fp32: DL4J's full vector; after the shard's update the ranks
 *       all-gather it;
 *   <li>{@link HalfMaster}, stage 2 in 16 bits: DL4J's 16-bit vector and an fp32 master of the
 *       rank's shard; after an applied update each rank rounds its master into the replica, which
 *       is then all-gathered in place a layer at a time;
 *   <li>{@link Shard}, stage 3: only the rank's fp32 shard (in memory or offloaded), its layers
 *       gathered just before DL4J uses them ({@link Gathered}).
 * </ul>
 */
interface HeldParams {

  /**
   * The parameters a rank at {@code stage} holds. At stage 3 the shard is kept and DL4J's full
   * vector freed first, before the step takes any other memory.
   */
  static HeldParams of(ZeroStage stage, TrainableModel model, Range shard, Wire wire,
      OffloadOptions offload, String owner) {
    boolean half = model.halfPrecision();
    if (stage.shardsParameters()) {
      INDArray wide = half ? model.params().castTo(DataType.FLOAT) : model.params();
      ParamShard own = ParamShard.create(FlatFloats.block(wide), shard, offload, owner);
      if (half) {
        wide.close();
      }
      model.releaseParams();
      return new Shard(own, shard, wire);
    }
    return half ? new HalfMaster(new HalfReplica(model, shard), shard)
        : new Replica(FlatFloats.block(model.params()));
  }

  /** The fp32 parameters of the rank's shard, as the optimizer updates them. */
  ParamChunks chunks();

  /** Where DL4J finds a layer's parameters when it runs it. */
  LayerResidency residency(PartitionPlan plan, int rank, LayerwisePass pass,
      StepBuffers buffers, int prefetch);

  /**
   * After the optimizer step ({@code applied}: it updated the shard): brings every rank's updated
   * shard to the ranks that hold more than their own.
   */
  void afterStep(boolean applied, CommAgent comm, PartitionPlan plan, StepBuffers buffers);

  /** The flat elements held between steps: everything at stage 2, the shard at stage 3. */
  Range held(long numParams);

  /** Copies held parameters {@code [from, from + count)} (flat indices) into {@code dst}. */
  void read(int from, float[] dst, int offset, int count);

  /** Overwrites held parameters {@code [from, from + count)} (flat indices) from {@code src}. */
  void write(int from, float[] src, int offset, int count);

  long hash();

  /** Makes every rank's replica equal to {@code root}'s; a shard has none to make equal. */
  void broadcast(Collectives collectives, int root);

  /** Bytes held beyond what DL4J's network holds: stage 3's shard. */
  long shardBytes();

  /** Bytes of an fp32 master kept beside a 16-bit replica (counted with the optimizer state). */
  long masterBytes();

  /** Frees what the parameters hold themselves (an offloaded shard's files). */
  default void close() {}

  /** Stage 2: the full parameters in DL4J's vector, the optimizer updating the rank's shard. */
  abstract class Replicated implements HeldParams {
    final ReplicaVector vector;

    Replicated(ReplicaVector vector) {
      this.vector = vector;
    }

    @Override
    public ParamChunks chunks() {
      return vector.chunks();
    }

    @Override
    public LayerResidency residency(PartitionPlan plan, int rank, LayerwisePass pass,
        StepBuffers buffers, int prefetch) {
      return LayerResidency.RESIDENT;
    }

    @Override
    public Range held(long numParams) {
      return new Range(0, (int) numParams);
    }

    @Override
    public void read(int from, float[] dst, int offset, int count) {
      vector.read(from, dst, offset, count);
    }

    @Override
    public void write(int from, float[] src, int offset, int count) {
      vector.write(from, src, offset, count);
    }

    @Override
    public long hash() {
      return vector.hash();
    }

    @Override
    public void broadcast(Collectives collectives, int root) {
      vector.broadcast(collectives, root);
    }

    @Override
    public long shardBytes() {
      return 0;
    }
  }

  /** Stage 2 in fp32: DL4J's own full parameter vector; all-gathered after every step. */
  final class Replica extends Replicated {
    private final FloatBlock params;

    Replica(FloatBlock params) {
      super(ReplicaVector.of(params));
      this.params = params;
    }

    @Override
    public void afterStep(boolean applied, CommAgent comm, PartitionPlan plan,
        StepBuffers buffers) {
      comm.submit("all-gather parameters", c -> c.allGather(params, plan.shardBounds()));
      comm.drain();
    }

    @Override
    public long masterBytes() {
      return 0;
    }
  }

  /** Stage 2 in 16 bits: DL4J's 16-bit vector and the fp32 master of the rank's shard. */
  final class HalfMaster extends Replicated {
    private final HalfReplica replica;
    private final Range shard;

    HalfMaster(HalfReplica replica, Range shard) {
      super(replica);
      this.replica = replica;
      this.shard = shard;
    }

    /**
     * Rounds the updated fp32 master shard into DL4J's 16-bit replica and all-gathers the replica
     * one layer at a time, in place: every rank ends with every owner's rounding, and no fp32
     * vector of a layer, nor any step buffer, is needed.
     */
    @Override
    public void afterStep(boolean applied, CommAgent comm, PartitionPlan plan,
        StepBuffers buffers) {
      if (!applied) {
        return;
      }
      HalfBlock params = replica.halves();
      for (int layer = 0; layer < plan.layerCount(); layer++) {
        Range range = plan.layer(layer);
        Range own = range.intersect(shard);
        if (!own.isEmpty()) {
          params.roundFrom(replica.master(), own.from() - shard.from(), own.from(),
              own.length());
        }
        int[] bounds = plan.boundsWithin(range);
        for (int i = 0; i < bounds.length; i++) {
          bounds[i] += range.from(); // within the whole vector
        }
        comm.submit("all-gather " + plan.layerName(layer), c -> c.allGather(params, bounds));
      }
      comm.drain();
    }

    @Override
    public long masterBytes() {
      return replica.masterBytes();
    }
  }

  /** Stage 3: only the rank's fp32 parameter shard, where {@code offload.params} puts it. */
  final class Shard implements HeldParams {
    private final ParamShard own;
    private final Range shard;
    private final Wire wire;

    Shard(ParamShard own, Range shard, Wire wire) {
      this.own = own;
      this.shard = shard;
      this.wire = wire;
    }

    @Override
    public ParamChunks chunks() {
      return own.chunks();
    }

    @Override
    public LayerResidency residency(PartitionPlan plan, int rank, LayerwisePass pass,
        StepBuffers buffers, int prefetch) {
      return new Gathered(plan, rank, own, pass, buffers, prefetch, wire);
    }

    /** The next step's gathers read the updated shard: nothing to send. */
    @Override
    public void afterStep(boolean applied, CommAgent comm, PartitionPlan plan,
        StepBuffers buffers) {}

    @Override
    public Range held(long numParams) {
      return shard;
    }

    @Override
    public void read(int from, float[] dst, int offset, int count) {
      own.read(from - shard.from(), dst, offset, count);
    }

    @Override
    public void write(int from, float[] src, int offset, int count) {
      own.write(from - shard.from(), src, offset, count);
    }

    @Override
    public long hash() {
      return own.hash();
    }

    @Override
    public void broadcast(Collectives collectives, int root) {}

    @Override
    public long shardBytes() {
      return own.memoryBytes();
    }

    @Override
    public long masterBytes() {
      return 0;
    }

    @Override
    public void close() {
      own.close();
    }
  }

  /** Where DL4J finds each layer's parameters during the layer-at-a-time pass. */
  interface LayerResidency {
    /** Stage 2: every layer stays in DL4J's vector. */
    LayerResidency RESIDENT = new LayerResidency() {};

    default void beforeForward(int layer, CommAgent comm) {}

    default void afterForward(int layer) {}

    default void beforeBackward(int layer, CommAgent comm) {}

    default void afterBackward(int layer) {}
  }

  /**
   * Stage 3: each layer is gathered just before its forward with the next {@code prefetch}
   * layers' gathers in flight, released after it, gathered again for its backward. Where each
   * layer's parameters are is an explicit state per layer: {@link State#SHARDED} (only the ranks'
   * shards exist), {@link State#GATHERING} (an all-gather into a buffer of the layer's size is
   * queued on the {@link CommAgent}) or {@link State#GATHERED} (the buffer holds the whole layer
   * and the layer is bound to it). Releasing gives the buffer back, so the parameter memory of a
   * step is the shard plus the layers in flight, never the whole model. Only the training thread
   * calls this class.
   */
  final class Gathered implements LayerResidency {

    /** A layer's parameter state. */
    enum State {
      SHARDED,
      GATHERING,
      GATHERED
    }

    private final PartitionPlan plan;
    private final Range shard;
    private final ParamShard own;
    private final LayerwisePass pass;
    private final StepBuffers buffers;
    private final int prefetch;
    private final Wire wire;
    private final int lastLayer;
    private final State[] states;
    private final StepBuffers.Lease[] gathered;
    private final CompletableFuture<?>[] pending;

    /** @param own this rank's parameters */
    /**
     * @param wire what the gathers of fp32 layers send (the gathered layer is a copy, the shard
     *     stays fp32); 16-bit layers travel as they are
     */
    Gathered(PartitionPlan plan, int rank, ParamShard own, LayerwisePass pass,
        StepBuffers buffers, int prefetch, Wire wire) {
      this.wire = wire;
      this.plan = plan;
      this.shard = plan.shard(rank);
      this.own = own;
      this.pass = pass;
      this.buffers = buffers;
      this.prefetch = prefetch;
      this.lastLayer = plan.layerCount() - 1;
      int layers = plan.layerCount();
      this.states = new State[layers];
      this.gathered = new StepBuffers.Lease[layers];
      this.pending = new CompletableFuture<?>[layers];
      Arrays.fill(states, State.SHARDED);
    }

    @Override
    public void beforeForward(int layer, CommAgent comm) {
      acquire(layer, ahead(layer, +1), comm);
    }

    @Override
    public void afterForward(int layer) {
      // The last layers' backward comes right after the turn: keep them rather than gather them
      // again (as many as are prefetched, so the peak stays the planner's).
      if (layer < lastLayer - prefetch) {
        release(layer);
      }
    }

    @Override
    public void beforeBackward(int layer, CommAgent comm) {
      acquire(layer, ahead(layer, -1), comm);
    }

    @Override
    public void afterBackward(int layer) {
      release(layer);
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
      int[] bounds = plan.boundsWithin(range);
      Range mine = range.intersect(shard);
      int from = mine.from() - shard.from();
      int to = mine.from() - range.from();
      CommAgent.Operation gather;
      Runnable ownPart;
      if (lease.half()) { // 16-bit compute: the owners round their part, then it travels as it is
        HalfBlock block = lease.halves();
        ownPart = mine.isEmpty() ? () -> {} : own.fetch(from, block, to, mine.length());
        gather = collectives -> collectives.allGather(block, bounds);
      } else {
        FloatBlock block = lease.floats();
        ownPart = mine.isEmpty() ? () -> {} : own.fetch(from, block, to, mine.length());
        gather = collectives -> collectives.allGather(block, bounds, wire);
      }
      gathered[layer] = lease;
      states[layer] = State.GATHERING;
      pending[layer] = agent.submit("gather " + plan.layerName(layer), collectives -> {
        ownPart.run();
        gather.run(collectives);
      });
    }

    /** Makes {@code layer} gathered and bound (waiting for its gather), prefetching {@code next}. */
    void acquire(int layer, int[] next, CommAgent agent) {
      request(layer, agent);
      for (int n : next) {
        request(n, agent);
      }
      if (states[layer] == State.GATHERING) {
        agent.waitFor(pending[layer]);
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

    /** The {@code prefetch} layers after {@code layer} in the direction of travel. */
    private int[] ahead(int layer, int direction) {
      int[] next = new int[prefetch];
      for (int i = 0; i < prefetch; i++) {
        next[i] = layer + direction * (i + 1);
      }
      return next;
    }
  }
}
