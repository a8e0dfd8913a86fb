package io.sparkzero.worker.train;

import io.sparkzero.sharding.collective.Collectives;
import io.sparkzero.sharding.collective.FloatBlock;
import io.sparkzero.sharding.collective.Wire;
import io.sparkzero.sharding.plan.PartitionPlan;
import io.sparkzero.sharding.plan.Range;
import io.sparkzero.sharding.plan.ZeroStage;
import io.sparkzero.worker.data.LocalDataset;
import io.sparkzero.worker.model.FlatFloats;
import io.sparkzero.worker.model.TrainableModel;
import io.sparkzero.worker.optim.PieceExchange;
import io.sparkzero.worker.optim.ShardStepper;
import io.sparkzero.worker.optim.StepReport;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ZeRO stages 0 and 1, where every rank holds all parameters and the full gradient. One step, two
 * policies chosen when the trainer is built:
 *
 * <ul>
 *   <li>the {@link Reduction} of the summed gradient: stage 0 all-reduces it and every rank updates
 *       every parameter with full optimizer state; stage 1 reduce-scatters it (a rank needs the sum
 *       only over its shard), updates its shard with the shard's optimizer state and all-gathers
 *       the parameters: the same bytes as an all-reduce, 1/N of the state. The ring segments are
 *       the plan's shards in both, and the norms are summed per shard ({@link
 *       io.sparkzero.worker.optim.StatPieces}), so stage 0 adds every number in the order the
 *       sharded stages do and ends with their parameters, bit for bit;
 *   <li>the {@link Replica}, how the rank holds its parameters: {@link Fp32Replica}, DL4J's own
 *       fp32 vectors, which the collectives and the optimizer work on in place; or {@link
 *       HalfPrecisionReplica}, a 16-bit network with fp32 master parameters over the region the
 *       rank updates.
 * </ul>
 *
 * <p>A step: forward and backward over each micro-batch, its gradient folded into the replica's
 * sum; the sum reduced; the optimizer step over the region, with the loss scale divided out (a
 * step with an inf or NaN gradient is skipped on every rank); after an applied step, the replica
 * publishes the new parameters to every rank. With {@code zero.overlap} ({@link BackwardBuckets})
 * the sum is reduced bucket by bucket during the last micro-batch's backward, on a {@link
 * CommAgent}, with the same result; the training thread uses the collectives itself only once the
 * agent is drained.
 */
final class ReplicaStep implements StageStep {
  private final TrainableModel model;
  private final Reduction reduction;
  private final Replica replica;
  private final ShardStepper stepper;
  private final int[] shardBounds;
  private final Range shard;
  private final RunningStatSlots runningStats;
  private final Range whole;
  private final Wire wire;
  private final BackwardBuckets buckets; // null: the sum is reduced after the backward
  private final float[] loss = new float[1];
  private final CommAgentSlot agents = new CommAgentSlot();

  /** How the summed gradient reaches the optimizer and the new parameters reach every rank. */
  enum Reduction {
    /** Stage 0: every rank sums the whole gradient and updates every parameter. */
    ALL_REDUCE {
      @Override
      void reduce(Collectives collectives, FloatBlock gradient, int[] shardBounds, Wire wire) {
        // each element added as stage 1 adds it
        collectives.allReduceSum(gradient, shardBounds, wire);
      }

      @Override
      PieceExchange norms(Collectives collectives) {
        return PieceExchange.LOCAL; // every rank has every shard's sums
      }

      @Override
      void gather(Collectives collectives, FloatBlock params, int[] shardBounds, Wire wire) {}
    },
    /** Stage 1: a rank sums and updates its shard, then the ranks all-gather the parameters. */
    REDUCE_SCATTER {
      @Override
      void reduce(Collectives collectives, FloatBlock gradient, int[] shardBounds, Wire wire) {
        collectives.reduceScatterSum(gradient, shardBounds, wire);
      }

      @Override
      PieceExchange norms(Collectives collectives) {
        return PieceExchange.allGather(collectives);
      }

      @Override
      void gather(Collectives collectives, FloatBlock params, int[] shardBounds, Wire wire) {
        collectives.allGather(params, shardBounds, wire);
      }
    };

    static Reduction of(ZeroStage stage) {
      return stage.shardsOptimizerState() ? REDUCE_SCATTER : ALL_REDUCE;
    }

    /** Sums the ranks' gradients: everywhere, or over each rank's own shard, over {@code wire}. */
    abstract void reduce(Collectives collectives, FloatBlock gradient, int[] shardBounds,
        Wire wire);

    /** How the ranks combine their per-shard norm sums. */
    abstract PieceExchange norms(Collectives collectives);

    /** Brings each rank's updated shard of {@code params} to every rank (stage 1 only). */
    abstract void gather(Collectives collectives, FloatBlock params, int[] shardBounds,
        Wire wire);
  }

  /**
   * @param overlap reduce gradient buckets during the backward where the model allows it
   * @param wire what the gradient reduction sends, and a 16-bit network's master gather
   */
  ReplicaStep(TrainableModel model, ZeroStage stage, PartitionPlan plan, int rank,
      ShardStepper stepper, boolean overlap, Wire wire) {
    this.model = model;
    this.reduction = Reduction.of(stage);
    this.stepper = stepper;
    this.shardBounds = plan.shardBounds();
    this.shard = plan.shard(rank);
    this.runningStats = RunningStatSlots.of(model);
    Range region = stage.region(plan, rank);
    this.replica = model.halfPrecision() ? new HalfPrecisionReplica(model, plan, shard, region)
        : new Fp32Replica(model);
    this.whole = new Range(0, plan.numParams());
    this.wire = wire;
    this.buckets = overlap ? BackwardBuckets.of(model, plan, runningStats) : null; // after the replica
  }

  /** {@link BackwardBuckets#queuedBeforeLastLayer()}, or 0 where the gradient is reduced whole. */
  long bucketsQueuedBeforeLastLayer() {
    return buckets == null ? 0 : buckets.queuedBeforeLastLayer();
  }

  @Override
  public ZeroTrainer.StepOutcome step(MicroBatches batches, Collectives collectives,
      float learningRate, float lossScale) {
    long t0 = System.nanoTime();
    replica.scaleLoss(lossScale);
    CommAgent comm = buckets == null ? null : agents.agentFor(collectives);
    long busy0 = comm == null ? 0 : comm.busyNanos();
    long waited0 = comm == null ? 0 : comm.waitedNanos();
    int micro = batches.count();
    double lossSum = 0;
    for (int i = 0; i < micro; i++) {
      LocalDataset.Batch batch = batches.get(i);
      float statsWeight = batches.runningStatsWeight(i);
      int index = i;
      if (comm != null && i == micro - 1) {
        lossSum += buckets.computeGradient(batch, statsWeight,
            layer -> replica.addGradient(index, micro, layer), () -> replica.gradientSum(micro),
            (c, sum, bounds) -> reduction.reduce(c, sum, bounds, wire), comm);
        continue;
      }
      lossSum += model.computeGradient(batch.features(), batch.labels());
      if (statsWeight != 1f) {
        runningStats.scale(model.gradientView(), 0, statsWeight);
      }
      replica.addGradient(i, micro, whole);
    }
    loss[0] = (float) lossSum;
    long t1 = System.nanoTime();
    long hidden = comm == null ? 0 : comm.hiddenSince(busy0, waited0);
    FloatBlock summed = replica.gradientSum(micro);
    if (comm != null) {
      comm.drain(); // the buckets still in flight
    } else {
      reduction.reduce(collectives, summed, shardBounds, wire);
    }
    collectives.allReduceSum(loss, 0, 1);
    long t2 = System.nanoTime();
    float inv = 1f / ((float) collectives.worldSize() * micro * lossScale);
    StepReport report = stepper.step(replica.vector().chunks(), summed, 0, inv, learningRate,
        reduction.norms(collectives));
    long t3 = System.nanoTime();
    if (report.applied()) {
      replica.publish(reduction, collectives, shardBounds, wire);
    }
    long t4 = System.nanoTime();
    StepTimes times = new StepTimes(t1 - t0, 0, (t2 - t1) + (t4 - t3), t3 - t2, 0, 0, hidden);
    return new ZeroTrainer.StepOutcome(loss[0] * inv * lossScale, times, report);
  }

  @Override
  public void endEpoch() {
    agents.close();
  }

  @Override
  public ShardStepper stepper() {
    return stepper;
  }

  @Override
  public void copyShardParams(float[] dst) {
    replica.vector().read(shard.from(), dst, 0, shard.length());
  }

  @Override
  public Range heldParams() {
    return new Range(0, (int) model.numParams());
  }

  @Override
  public void readParams(int from, float[] dst, int offset, int count) {
    replica.vector().read(from, dst, offset, count);
  }

  @Override
  public void writeParams(int from, float[] src, int offset, int count) {
    replica.vector().write(from, src, offset, count);
  }

  @Override
  public long paramHash() {
    return replica.vector().hash();
  }

  @Override
  public void broadcastParams(Collectives collectives, int root) {
    replica.vector().broadcast(collectives, root);
  }

  @Override
  public ModelStateBytes stateBytes() {
    return replica.stateBytes(stepper.state().memoryBytes());
  }

  /** How a stage 0-1 rank holds its parameters and sums its gradient. */
  interface Replica {
    /** Multiplies the output loss's gradient by {@code lossScale} (only 1 in fp32). */
    void scaleLoss(float lossScale);

    /** Folds the elements {@code range} of micro-batch {@code i}'s gradient (of {@code micro}) into the sum. */
    void addGradient(int i, int micro, Range range);

    /** The fp32 sum of the step's micro-batch gradients, reduced in place. */
    FloatBlock gradientSum(int micro);

    /** The parameters, as the optimizer, checkpoints and the state sync read and write them. */
    ReplicaVector vector();

    /**
     * After an applied step: makes every rank's replica hold the new parameters, gathering over
     * {@code wire} only where the gathered values are not the fp32 master itself.
     */
    void publish(Reduction reduction, Collectives collectives, int[] shardBounds, Wire wire);

    ModelStateBytes stateBytes(long optimizerStateBytes);
  }

  /**
   * DL4J's own fp32 parameter and gradient vectors, worked on in place (no copies); with gradient
   * accumulation, the micro-batches' gradients are summed in a buffer as large as the gradient.
   */
  static final class Fp32Replica implements Replica {
    private final TrainableModel model;
    private final FloatBlock params;
    private final ReplicaVector vector;
    private final FloatBlock grads;
    private INDArray accumulated; // taken at the first accumulating step
    private FloatBlock accumulatedBlock;

    Fp32Replica(TrainableModel model) {
      this.model = model;
      this.params = FlatFloats.block(model.params());
      this.vector = ReplicaVector.of(params);
      this.grads = FlatFloats.block(model.gradientView());
    }

    @Override
    public void scaleLoss(float lossScale) {
      if (lossScale != 1f) {
        throw new IllegalStateException("loss scale " + lossScale + " on an fp32 step");
      }
    }

    @Override
    public void addGradient(int i, int micro, Range range) {
      if (micro == 1) {
        return; // the sum is DL4J's gradient itself
      }
      if (accumulated == null) {
        accumulated = Nd4j.zeros(DataType.FLOAT, model.gradientView().length());
        accumulatedBlock = FlatFloats.block(accumulated);
      }
      INDArray sum = BackwardBuckets.slice(accumulated, range);
      INDArray gradient = BackwardBuckets.slice(model.gradientView(), range);
      if (i == 0) {
        sum.assign(gradient); // DL4J overwrites it at every backward
      } else {
        sum.addi(gradient);
      }
    }

    @Override
    public FloatBlock gradientSum(int micro) {
      return micro == 1 ? grads : accumulatedBlock;
    }

    @Override
    public ReplicaVector vector() {
      return vector;
    }

    @Override
    public void publish(Reduction reduction, Collectives collectives, int[] shardBounds,
        Wire wire) {
      // DL4J's vector is the master: a 16-bit gather would round the owners' own parameters
      reduction.gather(collectives, params, shardBounds, Wire.FP32);
    }

    @Override
    public ModelStateBytes stateBytes(long optimizerStateBytes) {
      long accumulatorElements = accumulated == null ? 0 : accumulated.length();
      return new ModelStateBytes(model.heldParamElements() * Float.BYTES,
          (model.heldGradientElements() + accumulatorElements) * Float.BYTES,
          optimizerStateBytes, 2L * ShardStepper.CHUNK_FLOATS * Float.BYTES,
          model.heldParamElements() * Float.BYTES);
    }
  }

  /**
   * Mixed precision: DL4J computes in 16-bit floats (parameters, activations, gradients: a
   * {@code HALF} network) and the optimizer keeps fp32 master parameters over its region
   * (everything at stage 0, the rank's shard at stage 1). Each micro-batch's 16-bit gradient is
   * summed into one fp32 buffer, which is reduced in fp32. After an applied step stage 0 casts its
   * master to the 16-bit copy; stage 1 copies its master shard into the same fp32 buffer,
   * all-gathers it and casts the whole vector. Checkpoints read and write the master values, so a
   * resumed run continues from exact fp32 parameters.
   */
  static final class HalfPrecisionReplica implements Replica {
    private final TrainableModel model;
    private final Range shard;
    private final boolean wholeRegion;
    private final HalfReplica replica; // the 16-bit replica and the fp32 master of the region
    private final INDArray buffer; // fp32, as long as the model: gradient sum, then all-gather
    private final FloatBlock bufferBlock;

    HalfPrecisionReplica(TrainableModel model, PartitionPlan plan, Range shard, Range region) {
      this.model = model;
      this.shard = shard;
      this.wholeRegion = region.length() == plan.numParams();
      this.replica = new HalfReplica(model, region);
      this.buffer = Nd4j.zeros(DataType.FLOAT, plan.numParams());
      this.bufferBlock = FlatFloats.block(buffer);
      model.gradientView();
    }

    @Override
    public void scaleLoss(float lossScale) {
      model.setLossScale(lossScale);
    }

    @Override
    public void addGradient(int i, int micro, Range range) {
      INDArray gradient = BackwardBuckets.slice(model.gradientView(), range).castTo(DataType.FLOAT);
      INDArray sum = BackwardBuckets.slice(buffer, range);
      if (i == 0) {
        sum.assign(gradient);
      } else {
        sum.addi(gradient);
      }
    }

    @Override
    public FloatBlock gradientSum(int micro) {
      return bufferBlock;
    }

    @Override
    public ReplicaVector vector() {
      return replica;
    }

    @Override
    public void publish(Reduction reduction, Collectives collectives, int[] shardBounds,
        Wire wire) {
      if (wholeRegion) {
        replica.publishWhole(); // stage 0: the master is the whole vector
        return;
      }
      replica.master().copyTo(0, bufferBlock, shard.from(), shard.length());
      reduction.gather(collectives, bufferBlock, shardBounds, wire); // a copy of the master
      replica.publish(buffer, 0);
    }

    @Override
    public ModelStateBytes stateBytes(long optimizerStateBytes) {
      long half = 2L * model.heldParamElements();
      long gradHalf = 2L * model.heldGradientElements();
      return new ModelStateBytes(half, gradHalf + 4L * buffer.length(),
          optimizerStateBytes + replica.masterBytes(),
          2L * ShardStepper.CHUNK_FLOATS * Float.BYTES, half);
    }
  }
}
