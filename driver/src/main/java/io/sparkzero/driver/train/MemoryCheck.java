package io.sparkzero.driver.train;

import io.sparkzero.driver.errors.PlanDoesNotFitException;
import io.sparkzero.driver.options.JobConfig;
import io.sparkzero.driver.options.JobOptions;
import io.sparkzero.driver.options.TrainingSettings;
import io.sparkzero.sharding.options.ConfigException;
import io.sparkzero.sharding.plan.MemoryFit;
import io.sparkzero.sharding.plan.MemoryPlanInput;
import io.sparkzero.sharding.plan.Bytes;
import io.sparkzero.sharding.plan.MemoryPlanner;
import io.sparkzero.sharding.plan.OffloadPlan;
import io.sparkzero.sharding.plan.PartitionPlan;
import io.sparkzero.sharding.plan.Precision;
import io.sparkzero.sharding.plan.StageMemory;
import io.sparkzero.sharding.plan.ZeroStage;
import io.sparkzero.worker.model.Models;
import io.sparkzero.worker.model.TrainableModel;
import io.sparkzero.worker.train.ModelPartition;
import org.apache.spark.SparkConf;

/**
 * The memory planner applied to a job: the model's parameter count and largest layer, the world
 * size, fp32 and the optimizer's state floats per parameter, against the memory one rank may use.
 * A job whose plan does not fit stops here, before any executor starts.
 */
public final class MemoryCheck {
  private MemoryCheck() {}

  /** What the job's plan is computed from. */
  public record JobPlan(MemoryPlanInput input, ZeroStage stage, OffloadPlan offload,
      ExecutorMemory.Budget budget) {

    /** Bytes per rank at the job's stage, optimizer state where the job's offload puts it. */
    public StageMemory memory() {
      return MemoryPlanner.plan(input, stage, offload);
    }

    /**
     * Bytes each rank keeps on disk: its optimizer state and, at stage 3, its parameter shard
     * where they are on the nvme tier; 0 when neither is.
     */
    public long diskBytesPerRank() {
      return offload.diskBytes(stage, input.optimizerStateFloats(), stage.regionElements(input));
    }
  }

  /** The job's plan: builds the model once on the driver to read its size and layers. */
  public static JobPlan plan(JobConfig config) {
    return plan(config, Models.create(config.get(JobOptions.MODEL), config.get(JobOptions.SEED)));
  }

  /** The job's plan for its {@code model}, built already. */
  static JobPlan plan(JobConfig config, TrainableModel model) {
    int worldSize = config.get(JobOptions.WORLD_SIZE);
    PartitionPlan partition = ModelPartition.plan(model, worldSize, TrainingSettings.zero(config));
    boolean half = TrainingSettings.halfPrecision(config);
    MemoryPlanInput input = MemoryPlanInput.of(partition, half ? Precision.FP16 : Precision.FP32,
        config.get(JobOptions.OPTIMIZER).stateSlots(), config.get(JobOptions.ZERO_PREFETCH));
    io.sparkzero.worker.adv.AdvOptions adv = AdvSettings.of(config);
    // fp16 sums its gradients in fp32; separate batch norm trains each micro-batch in two passes
    if (TrainingSettings.accumulation(config) > 1 || half || adv.separateBn()) {
      input = input.withAccumulation();
    }
    if (adv.enabled()) { // the attacker's network, and the snapshots not yet attacked with
      input = input.withAttacker(2 + adv.staleness());
    }
    return new JobPlan(input, config.get(JobOptions.ZERO_STAGE),
        TrainingSettings.offload(config).plan(), budget(config, worldSize));
  }

  /**
   * Throws {@link PlanDoesNotFitException} on {@code zero.stage} when the job's plan does not fit,
   * and {@link ConfigException} on
   * {@code offload.nvme.path} when its disk cannot hold the plan's files ({@link NvmePathCheck}).
   */
  public static JobPlan check(JobConfig config) {
    return check(config, Models.create(config.get(JobOptions.MODEL), config.get(JobOptions.SEED)));
  }

  /** {@link #check(JobConfig)} for the job's {@code model}, built already. */
  public static JobPlan check(JobConfig config, TrainableModel model) {
    JobPlan plan = plan(config, model);
    MemoryFit fit = MemoryPlanner.check(plan.input(), plan.stage(), plan.offload(),
        plan.budget().bytes());
    if (!fit.fits()) {
      throw new PlanDoesNotFitException(JobOptions.ZERO_STAGE.key(),
          fit.message() + " (per-rank budget: " + plan.budget().source() + ")");
    }
    NvmePathCheck.check(config, plan);
    return plan;
  }

  /**
   * Copies of a rank's training data its executor holds at the peak: the rank's arrays, and their
   * copy while they are put in id order as the first epoch starts. Spark caches the partitions on
   * disk only ({@code TrainingJob}), not in memory.
   */
  static final int DATA_COPIES = 2;

  /**
   * Bytes of training data a rank's executor holds for it: its share of {@code examples} (the
   * largest, when they do not divide evenly), each {@code numFeatures} floats, a label and an id,
   * in each of {@link #DATA_COPIES} copies.
   */
  public static long dataBytesPerRank(long examples, int numFeatures, int worldSize) {
    long rows = (examples + worldSize - 1) / worldSize;
    return DATA_COPIES * rows * (Float.BYTES * (long) numFeatures + Integer.BYTES + Long.BYTES);
  }

  /**
   * Throws {@link PlanDoesNotFitException} when the model state and the training data together
   * do not fit a rank's budget, once the data's size is known.
   */
  static void checkData(JobPlan plan, long examples, int numFeatures, int worldSize) {
    long data = dataBytesPerRank(examples, numFeatures, worldSize);
    long state = plan.memory().peakBytes();
    if (state + data > plan.budget().bytes()) {
      throw new PlanDoesNotFitException(JobOptions.DATA_TRAIN.key(), "the training data needs "
          + Bytes.format(data) + " per rank (" + examples + " examples of " + numFeatures
          + " features over " + worldSize + " ranks, held by the rank, with a second copy while"
          + " it is sorted) on top of the model state's " + Bytes.format(state) + ", over the"
          + " budget of " + Bytes.format(plan.budget().bytes()) + " (" + plan.budget().source()
          + "); give the executors more memory, use more ranks, stream the data (data.mode"
          + " stream), or train on less (data.limit)");
    }
    if (data > plan.budget().heapBytes()) { // the arrays are Java arrays: only the heap holds them
      throw new PlanDoesNotFitException(JobOptions.DATA_TRAIN.key(), "the training data needs "
          + Bytes.format(data) + " per rank (" + examples + " examples of " + numFeatures
          + " features over " + worldSize + " ranks, held by the rank, with a second copy while"
          + " it is sorted) on the Java heap, over a rank's share of the heap, "
          + Bytes.format(plan.budget().heapBytes()) + " (" + plan.budget().source() + "); give"
          + " the executors more heap (spark.executor.memory), use more ranks, stream the data"
          + " (data.mode stream), or train on less (data.limit)");
    }
  }

  /**
   * Throws {@link PlanDoesNotFitException} when the model state and a streaming rank's buffers
   * ({@code streamBytes}: the blocks in use and read ahead) do not fit a rank's budget.
   */
  static void checkStream(JobPlan plan, long streamBytes) {
    long state = plan.memory().peakBytes();
    if (state + streamBytes > plan.budget().bytes()) {
      throw new PlanDoesNotFitException(JobOptions.DATA_READ_AHEAD_BYTES.key(), "a streaming rank"
          + " holds up to " + Bytes.format(streamBytes) + " of examples (its shuffle window's"
          + " blocks and the read-ahead) on top of the model state's " + Bytes.format(state)
          + ", over the budget of " + Bytes.format(plan.budget().bytes()) + " ("
          + plan.budget().source() + "); lower data.read-ahead-bytes or data.shuffle-window, or"
          + " give the executors more memory");
    }
  }

  private static ExecutorMemory.Budget budget(JobConfig config, int worldSize) {
    long explicit = config.get(JobOptions.ZERO_RANK_MEMORY);
    if (explicit > 0) {
      return new ExecutorMemory.Budget(explicit, explicit, JobOptions.ZERO_RANK_MEMORY.key());
    }
    String master = new SparkConf(true).get("spark.master", config.get(JobOptions.SPARK_MASTER));
    java.util.Map<String, String> spark = new java.util.HashMap<>(config.sparkConf());
    for (scala.Tuple2<String, String> e : new SparkConf(true).getAll()) {
      spark.putIfAbsent(e._1(), e._2());
    }
    return ExecutorMemory.perRank(master, spark, worldSize);
  }
}
