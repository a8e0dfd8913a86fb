package io.sparkzero.worker.train;

import io.sparkzero.sharding.collective.Collectives;
import io.sparkzero.sharding.collective.FloatBlock;
import io.sparkzero.sharding.collective.HalfBlock;
import io.sparkzero.sharding.collective.Wire;
import io.sparkzero.sharding.plan.BufferLayout;
import io.sparkzero.sharding.plan.LayerSchedule;
import io.sparkzero.sharding.plan.PartitionPlan;
import io.sparkzero.sharding.plan.Range;
import io.sparkzero.sharding.plan.ZeroStage;
import io.sparkzero.worker.data.LocalDataset;
import io.sparkzero.worker.model.FlatFloats;
import io.sparkzero.worker.model.LayerHooks;
import io.sparkzero.worker.model.LayerwisePass;
import io.sparkzero.worker.model.TrainableModel;
import io.sparkzero.worker.offload.OffloadOptions;
import io.sparkzero.worker.optim.PieceExchange;
import io.sparkzero.worker.optim.ShardStepper;
import io.sparkzero.worker.optim.StepReport;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ZeRO stages 2 and 3: DL4J runs one layer at a time ({@link LayerwisePass}); each layer's
 * gradient is reduce-scattered as soon as its backward is done ({@link LayerGradients}), so a
 * rank keeps only its shard of the reduced gradient.
 *
 * <p>What differs between the stages is one policy chosen when the step is built, {@link
 * HeldParams}: the parameters the rank holds, and with them where DL4J finds a layer's parameters
 * ({@link HeldParams.LayerResidency}).
 *
 * <ul>
 *   <li>stage 2: the full parameters stay in DL4J's vector ({@link HeldParams.Replica}, or
 *       {@link HeldParams.HalfMaster} in 16 bits); after the shard's update they are all-gathered.
 *   <li>stage 3: only the rank's parameter shard persists ({@link HeldParams.Shard}); each layer
 *       is gathered just before its forward with the next layer's gather in flight, released after
 *       it, gathered again for its backward ({@link HeldParams.Gathered}). The updated shard needs
 *       no all-gather: the next step's gathers read it.
 * </ul>
 *
 * Shards live in native memory (ND4J buffers), the optimizer state and the stage-3 parameter
 * shard where the offload options put them. Collectives run on a {@link CommAgent} so they
 * overlap DL4J's compute.
 *
 * <p>With 16-bit compute (a {@code HALF} model) the layer buffers DL4J computes with are 16-bit
 * and each has an fp32 twin the collectives move ({@link StepBuffers}); the gradient shard stays
 * fp32 (micro-batches and ranks are summed in fp32, so a sum never overflows 16 bits when its
 * terms do not). Stage 2 keeps an fp32 master of its shard beside DL4J's 16-bit replica and
 * all-gathers the updated master a layer at a time, rounding each layer into the replica; at
 * stage 3 the fp32 parameter shard is the master, and each gathered layer is rounded to 16 bits
 * as it arrives. The loss is multiplied by the loss scale and the stepper divides it out.
 */
final class LayerwiseStep implements StageStep {
  private final TrainableModel model;
  private final PartitionPlan plan;
  private final Range shard;
  private final ShardStepper stepper;
  private final LayerwisePass pass;
  private final HeldParams held; // what parameters the rank holds between steps
  private final HeldParams.LayerResidency residency; // where DL4J finds a layer's parameters
  private final INDArray gradShardArray;
  private final FloatBlock gradShard;
  private final LayerGradients gradients;
  private final StepBuffers buffers;
  private final float[] loss = new float[1];
  private final CommAgentSlot agents = new CommAgentSlot();

  /**
   * @param offload where the stage-3 parameter shard lives ({@code offload.params})
   * @param owner names the shard's offload files and threads
   */
  LayerwiseStep(TrainableModel model, ZeroStage stage, PartitionPlan plan, int rank,
      ShardStepper stepper, int prefetch, Wire wire, OffloadOptions offload, String owner) {
    this.model = model;
    this.plan = plan;
    this.shard = plan.shard(rank);
    this.stepper = stepper;
    this.pass = LayerwisePass.of(model);
    this.held = HeldParams.of(stage, model, shard, wire, offload, owner); // first: may free DL4J's vector
    this.buffers = new StepBuffers(bufferLayout(plan, stage, prefetch), plan.layerCount(),
        model.halfPrecision() ? DataType.HALF : DataType.FLOAT);
    this.gradShardArray = Nd4j.zeros(DataType.FLOAT, Math.max(1, shard.length()));
    this.gradShard = FlatFloats.block(gradShardArray);
    this.gradients = new LayerGradients(plan, rank, gradShard, pass, buffers,
        RunningStatSlots.of(model), wire);
    this.residency = held.residency(plan, rank, pass, buffers, prefetch);
  }

  @Override
  public ZeroTrainer.StepOutcome step(MicroBatches batches, Collectives collectives,
      float learningRate, float lossScale) {
    if (lossScale != 1f && !model.halfPrecision()) {
      throw new IllegalStateException("loss scale " + lossScale + " on an fp32 step");
    }
    model.setLossScale(lossScale);
    CommAgent comm = agents.agentFor(collectives);
    long t0 = System.nanoTime();
    long busy0 = comm.busyNanos();
    long waited0 = comm.waitedNanos();
    int micro = batches.count();
    double lossSum = 0;
    for (int i = 0; i < micro; i++) {
      LocalDataset.Batch batch = batches.get(i);
      buffers.beginStep();
      gradients.beginMicroBatch(i > 0, batches.runningStatsWeight(i));
      lossSum += pass.computeGradient(batch.features(), batch.labels(), hooks(comm));
      if (i + 1 < micro) {
        comm.drain(); // the next micro-batch's buffers come from the same slab
      }
    }
    loss[0] = (float) lossSum;
    long t1 = System.nanoTime();
    long hidden = comm.hiddenSince(busy0, waited0);
    comm.submit("loss", c -> c.allReduceSum(loss, 0, 1));
    comm.drain();
    long t2 = System.nanoTime();
    float inv = 1f / ((float) collectives.worldSize() * micro * lossScale);
    StepReport report = stepper.step(held.chunks(), gradShard, shard.from(), inv, learningRate,
        (rows, rowLength) -> {
          comm.submit("tensor norms", c -> PieceExchange.allGather(c).gather(rows, rowLength));
          comm.drain();
        });
    long t3 = System.nanoTime();
    held.afterStep(report.applied(), comm, plan, buffers);
    long t4 = System.nanoTime();
    StepTimes times = new StepTimes(t1 - t0, 0, (t2 - t1) + (t4 - t3), t3 - t2, 0, 0, hidden);
    return new ZeroTrainer.StepOutcome(loss[0] * inv * lossScale, times, report);
  }

  /** The hooks that move parameters and gradients around DL4J's layer-at-a-time pass. */
  private LayerHooks hooks(CommAgent comm) {
    return new LayerHooks() {
      @Override
      public void beforeForward(int layer) {
        residency.beforeForward(layer, comm);
      }

      @Override
      public void afterForward(int layer) {
        residency.afterForward(layer);
      }

      @Override
      public void beforeBackward(int layer) {
        residency.beforeBackward(layer, comm);
        gradients.bind(layer, comm);
      }

      @Override
      public void afterBackward(int layer) {
        residency.afterBackward(layer);
        gradients.reduce(layer, comm);
      }
    };
  }

  /** Where this stage's layer buffers sit in the step's slab, as the planner laid them out. */
  private static BufferLayout bufferLayout(PartitionPlan plan, ZeroStage stage, int prefetch) {
    long[] layers = new long[plan.layerCount()];
    for (int i = 0; i < layers.length; i++) {
      layers[i] = plan.layer(i).length();
    }
    return BufferLayout.of(stage.shardsParameters()
        ? LayerSchedule.stage3(layers, prefetch)
        : LayerSchedule.stage2(layers));
  }

  @Override
  public void endEpoch() {
    agents.close();
  }

  @Override
  public void close() {
    endEpoch();
    held.close();
  }

  @Override
  public ShardStepper stepper() {
    return stepper;
  }

  @Override
  public void copyShardParams(float[] dst) {
    held.read(shard.from(), dst, 0, shard.length());
  }

  @Override
  public Range heldParams() {
    return held.held(model.numParams());
  }

  @Override
  public void readParams(int from, float[] dst, int offset, int count) {
    held.read(from, dst, offset, count);
  }

  @Override
  public void writeParams(int from, float[] src, int offset, int count) {
    held.write(from, src, offset, count);
  }

  @Override
  public long paramHash() {
    return held.hash();
  }

  @Override
  public void broadcastParams(Collectives collectives, int root) {
    held.broadcast(collectives, root);
  }

  @Override
  public ModelStateBytes stateBytes() {
    // What DL4J's network still holds (the full parameters at stage 2, nothing at stage 3, no
    // full gradient at either; 16-bit elements with 16-bit compute) plus the rank's own shards
    // (fp32: the gradient shard, stage 3's parameter shard, stage 2's 16-bit run's master).
    long width = model.halfPrecision() ? 2 : Float.BYTES;
    long paramBytes = model.heldParamElements() * width + held.shardBytes();
    long gradBytes = model.heldGradientElements() * width + (long) shard.length() * Float.BYTES;
    long optimizerBytes = stepper.state().memoryBytes() + held.masterBytes();
    long stepBuffers = buffers.heldPeakBytes() + 2L * ShardStepper.CHUNK_FLOATS * Float.BYTES;
    return new ModelStateBytes(paramBytes, gradBytes, optimizerBytes, stepBuffers,
        paramBytes + buffers.peakParamBytes());
  }

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
  static final class LayerGradients {
    static final int IN_FLIGHT = 2;

    private final PartitionPlan plan;
    private final Range shard;
    private final FloatBlock gradShard;
    private final LayerwisePass pass;
    private final StepBuffers buffers;
    private final Semaphore slots = new Semaphore(IN_FLIGHT);
    private final StepBuffers.Lease[] bound;
    private final RunningStatSlots runningStats;
    private final Wire wire;
    private boolean accumulate;
    private float statsWeight = 1f;
    // Agent-thread scratch for adding a reduced layer part into the shard, a chunk at a time.
    private final float[] reducedChunk = new float[ShardStepper.CHUNK_FLOATS];
    private final float[] shardChunk = new float[ShardStepper.CHUNK_FLOATS];

    /** @param gradShard this rank's gradient shard, index 0 = flat element {@code shard.from()} */
    LayerGradients(PartitionPlan plan, int rank, FloatBlock gradShard, LayerwisePass pass,
        StepBuffers buffers, RunningStatSlots runningStats, Wire wire) {
      this.runningStats = runningStats;
      this.wire = wire;
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
      long start = System.nanoTime();
      try {
        while (!slots.tryAcquire(100, TimeUnit.MILLISECONDS)) {
          agent.throwIfFailed();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for a gradient buffer", e);
      } finally {
        agent.waited(System.nanoTime() - start);
      }
      StepBuffers.Lease lease =
          buffers.take(LayerSchedule.Kind.GRADIENTS, layer, plan.layer(layer).length());
      bound[layer] = lease;
      pass.bindGradients(layer, lease.array());
    }

    /**
     * Starts a micro-batch's backward: the first of a step overwrites the gradient shard, later ones
     * (gradient accumulation) add to it; its running statistics' update is weighed by {@code
     * runningStatsWeight}.
     */
    void beginMicroBatch(boolean addToShard, float runningStatsWeight) {
      accumulate = addToShard;
      statsWeight = runningStatsWeight;
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
      if (statsWeight != 1f) { // on the training thread, before the agent reads the gradient
        runningStats.scale(lease.array(), range.from(), statsWeight);
      }
      boolean add = accumulate;
      int[] bounds = plan.boundsWithin(range);
      Range own = range.intersect(shard);
      if (lease.half()) { // summed in fp32 chunk by chunk, straight into the shard
        HalfBlock half = lease.halves();
        int at = own.isEmpty() ? 0 : own.from() - shard.from();
        agent.submit("reduce-scatter " + plan.layerName(layer), collectives -> {
          try {
            collectives.reduceScatterSum(half, bounds, wire, gradShard, at, add);
          } finally {
            buffers.free(lease);
            slots.release();
          }
        });
        return;
      }
      FloatBlock block = lease.floats();
      agent.submit("reduce-scatter " + plan.layerName(layer), collectives -> {
        try {
          collectives.reduceScatterSum(block, bounds, wire);
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
}
