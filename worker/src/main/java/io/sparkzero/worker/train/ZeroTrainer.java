package io.sparkzero.worker.train;

import io.sparkzero.sharding.collective.Collectives;
import io.sparkzero.sharding.plan.PartitionPlan;
import io.sparkzero.sharding.plan.Range;
import io.sparkzero.sharding.plan.OffloadPlan;
import io.sparkzero.sharding.plan.ZeroStage;
import io.sparkzero.worker.data.LocalDataset;
import io.sparkzero.worker.model.TrainableModel;
import io.sparkzero.worker.offload.OffloadOptions;
import io.sparkzero.worker.offload.OptimizerStates;
import io.sparkzero.worker.optim.LearningRateSchedule;
import io.sparkzero.worker.optim.OptimizerOptions;
import io.sparkzero.worker.optim.OptimizerState;
import io.sparkzero.worker.optim.RegionUpdate;
import io.sparkzero.worker.optim.ShardOptimizer;
import io.sparkzero.worker.optim.ShardStepper;
import io.sparkzero.worker.optim.StatPieces;
import io.sparkzero.worker.optim.StepReport;

/**
 * One rank's synchronous training engine at a chosen ZeRO stage. The rank owns the slice
 * {@link #shard()} of the flat parameter vector ({@link PartitionPlan}); at stage 0 its optimizer
 * covers everything, at stages 1-3 only the shard. The stage's {@link StageStep} is picked here,
 * once. After every step all ranks hold the same parameters (stages 0-2: the same full replica;
 * stage 3: shards of one vector).
 */
public final class ZeroTrainer implements AutoCloseable {
  /** Skipped steps in a row that stop a job, unless the job says otherwise. */
  public static final int DEFAULT_MAX_SKIPPED_STEPS = 20;

  private final TrainableModel model;
  private final ZeroOptions options;
  private final PartitionPlan plan;
  private final int rank;
  private final LearningRateSchedule schedule;
  private final LossScale lossScale;
  private final StageStep stage;
  private long nextStep;

  private ZeroTrainer(TrainableModel model, ZeroOptions options, PartitionPlan plan, int rank,
      LearningRateSchedule schedule, LossScale lossScale, StageStep stage) {
    this.model = model;
    this.options = options;
    this.plan = plan;
    this.rank = rank;
    this.schedule = schedule;
    this.lossScale = lossScale;
    this.stage = stage;
  }

  /**
   * A trainer whose parameters start as the model's current parameters.
   *
   * @param rank this rank, in {@code [0, worldSize)}
   */
  public static ZeroTrainer create(TrainableModel model, OptimizerOptions optimizer,
      ZeroOptions options, int rank, int worldSize) {
    return create(model, optimizer, options, OffloadOptions.none(), "rank-" + rank, rank,
        worldSize);
  }

  /**
   * A trainer whose parameters start as the model's current parameters and whose optimizer state
   * lives where {@code offload} says (and at stage 3 the parameter shard).
   *
   * @param owner names the rank's offload files and threads (unique per job and rank)
   * @param rank this rank, in {@code [0, worldSize)}
   */
  public static ZeroTrainer create(TrainableModel model, OptimizerOptions optimizer,
      ZeroOptions options, OffloadOptions offload, String owner, int rank, int worldSize) {
    return create(model, optimizer, LearningRateSchedule.constant(optimizer.learningRate()),
        LossScale.Options.fullPrecision(DEFAULT_MAX_SKIPPED_STEPS), options, offload, owner, rank,
        worldSize);
  }

  /**
   * A trainer whose learning rate follows {@code schedule} (indexed by the global step passed to
   * {@link #step(MicroBatches, Collectives, long)}) and whose steps are guarded by {@code
   * lossScale}.
   */
  public static ZeroTrainer create(TrainableModel model, OptimizerOptions optimizer,
      LearningRateSchedule schedule, LossScale.Options lossScale, ZeroOptions options,
      OffloadOptions offload, String owner, int rank, int worldSize) {
    ZeroStage zero = options.stage();
    if (!zero.shardsParameters() && offload.params() != OffloadPlan.Tier.NONE) {
      throw new IllegalArgumentException("offload.params " + offload.params().optionName()
          + " needs zero.stage"
          + " 3 (below it every rank holds the full parameters), got zero.stage " + zero.number());
    }
    PartitionPlan plan = ModelPartition.plan(model, worldSize, options);
    Range region = zero.region(plan, rank);
    ShardOptimizer rule = optimizer.create();
    OptimizerState state =
        OptimizerStates.create(offload, owner, rule.stateSlots(), region.length());
    StatPieces pieces = zero.shardsOptimizerState() ? StatPieces.own(plan.shardBounds(), rank)
        : StatPieces.all(plan.shardBounds());
    ShardStepper stepper = new ShardStepper(rule, state,
        RegionUpdate.of(optimizer.table(model.tensors()), region.from(), region.to()),
        optimizer.clipNorm(), pieces);
    // ND4J frees an array nobody closed only once the collector finds it unreachable, and DL4J's
    // weight initialization leaves such native temporaries as large as its largest layer: collect
    // them before the step takes its native buffers (on wide-mlp:20224, 1.6 GB of an executor's
    // 8 GB native limit). After the optimizer's arrays, not before: a full collection just
    // before allocating them made G1 fail a 0.9 GB array in a 2 GB heap that fits it otherwise.
    System.gc();
    StageStep step;
    if (!zero.shardsGradients()) {
      step = new ReplicaStep(model, zero, plan, rank, stepper, options.overlapBackward(),
          options.wire());
    } else {
      step = new LayerwiseStep(model, zero, plan, rank, stepper, options.prefetchLayers(),
          options.wire(), offload, owner);
    }
    return new ZeroTrainer(model, options, plan, rank, schedule, new LossScale(lossScale), step);
  }

  /** The stage's step, for this package's tests. */
  StageStep stageStep() {
    return stage;
  }

  /**
   * Runs one synchronous step on this rank's batch, the step after the previous one.
   *
   * @return the loss averaged over all ranks' batches, and where the time went
   */
  public StepOutcome step(LocalDataset.Batch batch, Collectives collectives) {
    return step(MicroBatches.of(batch), collectives, nextStep);
  }

  /**
   * Runs global step {@code globalStep} (0-based; it picks the learning rate) on this rank's
   * micro-batches, whose gradients are summed: every rank passes the same count.
   *
   * @return the loss averaged over all ranks' micro-batches, and what the step did
   * @throws LossScale.NonFiniteGradientException when too many steps in a row were skipped
   */
  public StepOutcome step(MicroBatches batches, Collectives collectives, long globalStep) {
    float rate = (float) schedule.rate(globalStep);
    StepOutcome outcome = stage.step(batches, collectives, rate, lossScale.scale());
    nextStep = globalStep + 1;
    lossScale.record(outcome.report().applied(), globalStep, rank);
    return outcome;
  }

  /** The learning rate of global step {@code globalStep} (0-based). */
  public double learningRate(long globalStep) {
    return schedule.rate(globalStep);
  }

  /** The loss scale and skip counts (saved with checkpoints). */
  public LossScale lossScale() {
    return lossScale;
  }

  public TrainableModel model() {
    return model;
  }

  public ZeroOptions options() {
    return options;
  }

  public PartitionPlan plan() {
    return plan;
  }

  public int rank() {
    return rank;
  }

  /** The slice of the flat parameter vector this rank owns. */
  public Range shard() {
    return plan.shard(rank);
  }

  public ShardOptimizer optimizer() {
    return stage.stepper().optimizer();
  }

  /** The optimizer state of this rank's region. */
  public OptimizerState optimizerState() {
    return stage.stepper().state();
  }

  /**
   * The flat elements this rank's optimizer state covers: every parameter at stage 0, its shard
   * otherwise.
   */
  public Range region() {
    return options.stage().region(plan, rank);
  }

  /** The flat elements whose parameters this rank holds: all at stages 0-2, its shard at 3. */
  public Range heldParams() {
    return stage.heldParams();
  }

  /** Copies held parameters {@code [from, from + count)} into {@code dst[offset..]}. */
  public void readParams(int from, float[] dst, int offset, int count) {
    stage.readParams(from, dst, offset, count);
  }

  /**
   * Overwrites held parameters {@code [from, from + count)} from {@code src[offset..]}; between
   * steps only, and every rank must end with parameters that agree (as after a restore).
   */
  public void writeParams(int from, float[] src, int offset, int count) {
    stage.writeParams(from, src, offset, count);
  }

  /** A copy of this rank's shard of the parameters. */
  public float[] shardParams() {
    float[] out = new float[shard().length()];
    stage.copyShardParams(out);
    return out;
  }

  /** See {@link StageStep#paramHash()}. */
  public long paramHash() {
    return stage.paramHash();
  }

  /** Whether every rank holds the full parameters (stages 0-2), so their hashes must agree. */
  public boolean replicated() {
    return !options.stage().shardsParameters();
  }

  /** Makes every rank's parameters equal to {@code root}'s (no-op at stage 3). */
  public void broadcastParams(Collectives collectives, int root) {
    stage.broadcastParams(collectives, root);
  }

  /** Stops using the epoch's collectives, before they close. */
  public void endEpoch() {
    stage.endEpoch();
  }

  /** Ends the trainer: stops its threads and frees its offloaded state (memory and files). */
  @Override
  public void close() {
    stage.close();
    optimizerState().close();
  }

  /** Model-state bytes held by this rank, from its live buffers. */
  public ModelStateBytes stateBytes() {
    return stage.stateBytes();
  }

  /** Result of one step. */
  public record StepOutcome(double meanLoss, StepTimes times, StepReport report) {}
}
