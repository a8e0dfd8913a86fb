package io.sparkzero.driver.train;

import io.sparkzero.checkpoint.CheckpointStore;
import io.sparkzero.driver.data.LoadedData;
import io.sparkzero.driver.eval.Evaluator;
import io.sparkzero.driver.options.ConfigException;
import io.sparkzero.driver.options.JobConfig;
import io.sparkzero.driver.options.JobOptions;
import io.sparkzero.driver.spark.SparkJobs;
import io.sparkzero.sharding.collective.AeronRuntime;
import io.sparkzero.sharding.plan.Bytes;
import io.sparkzero.sharding.plan.StageMemory;
import io.sparkzero.worker.data.LabeledExample;
import io.sparkzero.worker.offload.OffloadOptions;
import io.sparkzero.worker.optim.OptimizerOptions;
import io.sparkzero.worker.optim.StateTraffic;
import io.sparkzero.worker.train.EpochResult;
import io.sparkzero.worker.train.EpochSchedule;
import io.sparkzero.worker.train.LossScale;
import io.sparkzero.worker.train.ZeroOptions;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import scala.reflect.ClassTag$;
import scala.reflect.ClassTag;

/**
 * The driver's orchestration of one training run: load and partition the data, run one barrier
 * stage per epoch (one task per rank), check that the ranks agree, evaluate, write the model.
 */
public final class TrainingJob {
  private final JobConfig config;
  private final PrintStream out;

  public TrainingJob(JobConfig config, PrintStream out) {
    this.config = config;
    this.out = out;
  }

  /** How long a relaunch waits for lost executors to be replaced. */
  private static final long EXECUTOR_WAIT_MS = 120_000;

  /** A failed epoch that was relaunched from a checkpoint, and how long training stood still. */
  record Recovery(int epoch, long fromStep, double secondsToResume, long resumedAtMs) {}

  private final List<Recovery> recoveries = new ArrayList<>();

  /** Runs the job on the given session (which the caller owns and stops). */
  public TrainingReport run(SparkSession spark) {
    JobValidation.check(config);
    MemoryCheck.JobPlan plan = MemoryCheck.check(config);
    int worldSize = config.get(JobOptions.WORLD_SIZE);
    int microBatches = StepRules.accumulation(config);
    int batchSize = config.get(JobOptions.BATCH_SIZE) * microBatches; // per rank per step
    int epochs = config.get(JobOptions.EPOCHS);
    LoadedData train = JobData.loadTrain(spark, config);
    if (!train.badRecords().isEmpty()) {
      out.println("spark-zero: training data: " + train.badRecords().summary());
    }
    JavaRDD<LabeledExample> shards = train.examples().repartition(worldSize).persist(StorageLevel.MEMORY_ONLY());
    long count = shards.count();
    int steps = EpochSchedule.stepsPerEpoch(count, worldSize, batchSize);
    String jobId = spark.sparkContext().applicationId() + "-" + randomHex(4);
    RankSpec spec = new RankSpec(jobId, new SecureRandom().nextLong(), config.get(JobOptions.MODEL),
        config.get(JobOptions.SEED), StepRules.optimizer(config), zeroOptions(),
        offloadOptions(config), batchSize, microBatches, StepRules.schedule(config, steps),
        StepRules.lossScale(config), StepRules.halfPrecision(config), steps, 0, epochs == 1, true,
        train.numFeatures(), train.numClasses(), config.get(JobOptions.ND4J_THREADS),
        new java.util.TreeMap<>(config.collectiveEntries()), checkpointSpec(spark), 0);
    ResumePoint resume = resumePoint(spark, spec, plan);
    int firstEpoch = resume == null ? 0 : resume.epoch();
    if (firstEpoch >= epochs) {
      throw new ConfigException(JobOptions.EPOCHS.key(), "the checkpoint at global step "
          + resume.step() + " under " + config.get(JobOptions.CHECKPOINT_PATH) + " already"
          + " completes " + firstEpoch + " epoch(s); set train.epochs above " + firstEpoch
          + " to train on, or point checkpoint.path elsewhere");
    }
    out.printf("spark-zero: %d training examples, %d ranks x batch %d, %d steps per epoch, model %s%n",
        count, worldSize, batchSize, steps, spec.model());
    StageMemory predicted = plan.memory();
    out.printf("spark-zero: zero.stage %d, predicted per rank: parameters %s, gradients %s,"
            + " optimizer state %s, buffers %s; budget %s (%s)%n", spec.zero().stage().number(),
        Bytes.format(predicted.paramBytes()), Bytes.format(predicted.gradBytes()),
        Bytes.format(predicted.optimizerBytes()), Bytes.format(predicted.bufferBytes()),
        Bytes.format(plan.budget().bytes()), plan.budget().source());
    if (plan.diskBytesPerRank() > 0) {
      out.printf("spark-zero: offload nvme: %s of model state per rank under %s%n",
          Bytes.format(plan.diskBytesPerRank()), config.get(JobOptions.OFFLOAD_NVME_PATH));
    }
    boolean evaluate = !config.get(JobOptions.DATA_TEST).isEmpty();
    boolean evalEveryEpoch = evaluate && config.get(JobOptions.EVAL_EVERY_EPOCH);
    boolean needFinalParams = evaluate || !config.get(JobOptions.OUTPUT_MODEL).isEmpty();
    JavaRDD<LabeledExample> test = evaluate ? JobData.loadTest(spark, config).examples() : null;
    Evaluator evaluator = new Evaluator(spec.model(), spec.seed(), config.get(JobOptions.EVAL_BATCH));
    List<EpochSummary> epochsRun = new ArrayList<>();
    List<Evaluator.Result> evaluations = new ArrayList<>();
    float[] finalParams = null;
    try {
      for (int epoch = firstEpoch; epoch < epochs; epoch++) {
        boolean last = epoch == epochs - 1;
        // The ranks send their shards back only when the driver needs the parameters.
        RankSpec epochSpec = stageSpec(spec, epoch, last, last && needFinalParams || evalEveryEpoch,
            resume);
        long t0 = System.nanoTime();
        List<RankReport> reports = runRecovering(spark, shards, epochSpec);
        long stageNanos = System.nanoTime() - t0;
        EpochSummary summary = EpochSummary.of(reports, stageNanos);
        epochsRun.add(summary);
        out.println(summary.describe());
        float[] params = epochSpec.returnParams() ? assemble(reports) : null;
        if (last) {
          finalParams = params;
        }
        if (last && evaluate || evalEveryEpoch) {
          Evaluator.Result result = evaluator.evaluate(spark, test, params, worldSize);
          evaluations.add(result);
          out.printf("spark-zero: epoch %d: test accuracy %.4f on %d examples%n", epoch + 1,
              result.accuracy(), result.examples());
        }
      }
    } finally {
      shards.unpersist(false);
      // In local mode the ranks ran in this JVM: drop their state and the job's media driver.
      ExecutorRuntime.release(jobId);
      AeronRuntime.releaseIfRunning(CollectivesFactory.options(spec).resolvedAeronDir());
    }
    Evaluator.Result eval = evaluations.isEmpty() ? null : evaluations.get(evaluations.size() - 1);
    String modelOut = config.get(JobOptions.OUTPUT_MODEL);
    if (!modelOut.isEmpty()) {
      ModelOutput.write(spark, spec.model(), spec.seed(), finalParams, modelOut);
      out.println("spark-zero: model written to " + modelOut);
    }
    out.println("spark-zero: summary " + summaryJson(spec, epochsRun, evaluations, plan));
    return new TrainingReport(epochsRun, eval, evaluations, finalParams, train.badRecords().skippedCount());
  }

  /**
   * The spec of one epoch's stage. With checkpoints, a rank without cached state restores from the
   * step the epoch starts at (committed at the previous epoch's end), or for the resumed epoch
   * from the resume point, which may be mid-epoch.
   */
  private static RankSpec stageSpec(RankSpec spec, int epoch, boolean last, boolean returnParams,
      ResumePoint resume) {
    RankSpec epochSpec = spec.forEpoch(epoch, last, returnParams);
    if (resume != null && epoch == resume.epoch()) {
      return epochSpec.resuming(resume.stepInEpoch(),
          spec.checkpoint().restoringFrom(resume.step()));
    }
    if (spec.checkpoint().enabled() && (resume != null || epoch > 0)) {
      return epochSpec.resuming(0,
          spec.checkpoint().restoringFrom((long) epoch * spec.stepsPerEpoch()));
    }
    return epochSpec;
  }

  /** The job's checkpoint settings; the executors get the job's {@code spark.hadoop.*} ones. */
  private CheckpointSpec checkpointSpec(SparkSession spark) {
    String uri = config.get(JobOptions.CHECKPOINT_PATH);
    if (uri.isEmpty()) {
      return CheckpointSpec.none();
    }
    java.util.TreeMap<String, String> hadoop = new java.util.TreeMap<>();
    for (scala.Tuple2<String, String> e : spark.sparkContext().getConf()
        .getAllWithPrefix("spark.hadoop.")) {
      hadoop.put(e._1(), e._2());
    }
    return new CheckpointSpec(uri, config.get(JobOptions.CHECKPOINT_EVERY_STEPS),
        config.get(JobOptions.CHECKPOINT_KEEP), -1, hadoop);
  }

  /** The newest usable committed checkpoint, or null (no checkpoints, or none yet). */
  private ResumePoint resumePoint(SparkSession spark, RankSpec spec, MemoryCheck.JobPlan plan) {
    if (!spec.checkpoint().enabled()) {
      return null;
    }
    CheckpointStore store = CheckpointStore.open(spec.checkpoint().uri(),
        spark.sparkContext().hadoopConfiguration());
    ResumePoint point = ResumePoint.find(store,
        config.get(JobOptions.CHECKPOINT_ON_CORRUPT).equals("previous"), plan.input().numParams(),
        plan.input().optimizerStateFloats(), spec.stepsPerEpoch(), out).orElse(null);
    if (point != null) {
      out.printf("spark-zero: resuming from checkpoint %s (global step %d: epoch %d, step %d)%n",
          store.stepUri(point.step()), point.step(), point.epoch() + 1, point.stepInEpoch());
    }
    return point;
  }

  /**
   * Runs one epoch's stage; with checkpoints, a failed stage (Spark does not retry a barrier
   * stage) is relaunched from the newest committed checkpoint, up to {@code train.max-restarts}
   * times, each time saying why. A run stopped by too many skipped steps (its gradients kept
   * overflowing) is not relaunched: it would diverge again at the same step; nor is anything
   * once the session itself was stopped.
   */
  private List<RankReport> runRecovering(SparkSession spark, JavaRDD<LabeledExample> shards,
      RankSpec epochSpec) {
    int maxRestarts = config.get(JobOptions.MAX_RESTARTS);
    int executors = executorCount(spark);
    RankSpec attempt = epochSpec;
    long failedAtMs = -1;
    for (int restart = 0; ; restart++) {
      try {
        List<RankReport> reports = runStage(spark, shards, attempt);
        if (failedAtMs >= 0) {
          long startedAtMs = reports.stream().mapToLong(RankReport::trainStartedAtMs).max()
              .orElseThrow();
          double seconds = (startedAtMs - failedAtMs) / 1000.0;
          recoveries.add(new Recovery(epochSpec.epoch(), attempt.checkpoint().restoreStep(),
              seconds, startedAtMs));
          out.printf(java.util.Locale.ROOT, "spark-zero: epoch %d resumed training %.1f s after"
              + " the failure%n", epochSpec.epoch() + 1, seconds);
        }
        return reports;
      } catch (Exception e) { // Spark's job failures are SparkException, a checked exception
        if (!epochSpec.checkpoint().enabled() || restart >= maxRestarts
            || spark.sparkContext().isStopped()) { // stopped (a signal): nothing to rerun on
          throw e;
        }
        if (diverged(e)) {
          out.printf("spark-zero: epoch %d stopped: the run diverged (%s); not restarting%n",
              epochSpec.epoch() + 1, rootMessage(e));
          throw e;
        }
        if (failedAtMs < 0) { // time the whole recovery, from the epoch's first failure
          failedAtMs = System.currentTimeMillis();
        }
        CheckpointStore store = CheckpointStore.open(epochSpec.checkpoint().uri(),
            spark.sparkContext().hadoopConfiguration());
        store.cleanUncommitted(); // the failed attempt's shards of steps it did not commit
        long latest = store.latestCommitted().orElse(-1L);
        long epochStart = (long) epochSpec.epoch() * epochSpec.stepsPerEpoch();
        if (latest < epochStart && epochSpec.checkpoint().restoreStep() >= 0) {
          throw new IllegalStateException("epoch " + (epochSpec.epoch() + 1) + " failed and no"
              + " checkpoint at or after its start (global step " + epochStart + ") is committed"
              + " under " + store.uri(), e);
        }
        int startStep = latest < epochStart ? 0 : (int) (latest - epochStart);
        out.printf("spark-zero: epoch %d failed (%s); restart %d of %d from %s%n",
            epochSpec.epoch() + 1, rootMessage(e), restart + 1, maxRestarts,
            latest < 0 ? "the initial parameters" : store.stepUri(latest));
        awaitExecutors(spark, executors);
        attempt = epochSpec.resuming(startStep, epochSpec.checkpoint().restoringFrom(latest));
      }
    }
  }

  /** Executors other than the driver (0 in local mode, where the ranks run in the driver). */
  private static int executorCount(SparkSession spark) {
    return spark.sparkContext().statusTracker().getExecutorInfos().length - 1;
  }

  /**
   * Waits (up to {@link #EXECUTOR_WAIT_MS}) until the cluster has {@code executors} executors
   * again: a barrier stage cannot start with fewer slots than ranks, and the cluster manager
   * replaces a lost executor within seconds.
   */
  private void awaitExecutors(SparkSession spark, int executors) {
    long deadline = System.currentTimeMillis() + EXECUTOR_WAIT_MS;
    while (executorCount(spark) < executors && System.currentTimeMillis() < deadline) {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Whether a failure is the skip guard's: the worker's exception itself (local mode keeps it as
   * the cause) or its class name in the text Spark reports for a task that failed elsewhere.
   */
  static boolean diverged(Throwable e) {
    String name = LossScale.NonFiniteGradientException.class.getName();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof LossScale.NonFiniteGradientException
          || String.valueOf(t.getMessage()).contains(name)) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
    return t == e ? first : first + " / " + t;
  }

  private static List<RankReport> runStage(SparkSession spark, JavaRDD<LabeledExample> shards,
      RankSpec spec) {
    ClassTag<RankReport> tag = ClassTag$.MODULE$.apply(RankReport.class);
    List<RankReport> reports = new ArrayList<>(SparkJobs.collect(spark.sparkContext(),
        shards.rdd().barrier().mapPartitions(new RankTask(spec), false, tag).toJavaRDD(),
        "epoch " + (spec.epoch() + 1) + "'s training stage"));
    reports.sort(Comparator.comparingInt(r -> r.result().rank()));
    if (spec.zero().stage().shardsParameters()) {
      return reports; // each rank holds a different shard: nothing to compare
    }
    long hash0 = reports.get(0).result().paramHash();
    for (RankReport r : reports) {
      EpochResult e = r.result();
      if (e.paramHash() != hash0) {
        throw new IllegalStateException("epoch " + spec.epoch() + ": rank " + e.rank()
            + " ended with parameter hash " + Long.toHexString(e.paramHash()) + " but rank 0 with "
            + Long.toHexString(hash0) + "; ranks diverged");
      }
    }
    return reports;
  }

  /** The full parameter vector from the ranks' shards, which tile it in rank order. */
  private static float[] assemble(List<RankReport> reports) {
    int total = 0;
    for (RankReport r : reports) {
      total += r.shardParams().length;
    }
    float[] params = new float[total];
    int at = 0;
    for (RankReport r : reports) {
      System.arraycopy(r.shardParams(), 0, params, at, r.shardParams().length);
      at += r.shardParams().length;
    }
    return params;
  }

  private ZeroOptions zeroOptions() {
    return zeroOptions(config);
  }

  /** The job's ZeRO options. */
  static ZeroOptions zeroOptions(JobConfig config) {
    ZeroOptions defaults = ZeroOptions.ofStage(config.get(JobOptions.ZERO_STAGE));
    return new ZeroOptions(defaults.stage(), config.get(JobOptions.ZERO_ALIGN),
        defaults.bucketElements(), config.get(JobOptions.ZERO_PREFETCH));
  }

  /** The job's offload options. */
  static OffloadOptions offloadOptions(JobConfig config) {
    return new OffloadOptions(config.get(JobOptions.OFFLOAD_OPTIMIZER),
        config.get(JobOptions.OFFLOAD_PARAMS), config.get(JobOptions.OFFLOAD_NVME_PATH), config.get(JobOptions.OFFLOAD_BUFFER_COUNT),
        config.get(JobOptions.OFFLOAD_BUFFER_BYTES));
  }

  /** One machine-readable line for benchmark scripts. */
  private String summaryJson(RankSpec spec, List<EpochSummary> epochs,
      List<Evaluator.Result> evaluations, MemoryCheck.JobPlan plan) {
    Evaluator.Result eval = evaluations.isEmpty() ? null : evaluations.get(evaluations.size() - 1);
    StageMemory predicted = plan.memory();
    StringBuilder sb = new StringBuilder("{\"model\": \"").append(spec.model()).append("\"")
        .append(", \"zero_stage\": ").append(spec.zero().stage().number())
        .append(", \"ranks\": ").append(epochs.get(0).ranks().size())
        .append(", \"optimizer\": \"").append(spec.optimizer().name()).append("\"")
        .append(", \"batch_per_rank\": ").append(spec.batchSize())
        .append(", \"micro_batches\": ").append(spec.microBatches())
        .append(", \"global_batch\": ").append(spec.schedule().globalBatch())
        .append(", \"peak_lr\": ").append(spec.schedule().peak())
        .append(", \"warmup_steps\": ").append(spec.schedule().warmupSteps())
        .append(", \"steps_per_epoch\": ").append(spec.stepsPerEpoch()).append(", \"epochs\": [");
    for (int i = 0; i < epochs.size(); i++) {
      EpochSummary e = epochs.get(i);
      io.sparkzero.worker.train.StepTimes t = e.ranks().get(0).times();
      sb.append(i == 0 ? "" : ", ").append(String.format(java.util.Locale.ROOT,
          "{\"loss\": %.5f, \"step_loop_samples_per_s\": %.1f, \"stage_samples_per_s\": %.1f, "
              + "\"rank0_ms\": {\"compute\": %d, \"comm\": %d, \"copy\": %d, \"optimizer\": %d, "
              + "\"batching\": %d}, \"last_lr\": %.6g, \"last_grad_norm\": %.6g,"
              + " \"skipped_steps\": %d%s}",
          e.meanLoss(), e.trainSamplesPerSecond(), e.stageSamplesPerSecond(), t.computeNanos() / 1_000_000,
          t.commNanos() / 1_000_000, t.copyNanos() / 1_000_000, t.optimizerNanos() / 1_000_000,
          t.batchNanos() / 1_000_000, e.ranks().get(0).lastLearningRate(),
          e.ranks().get(0).lastGradNorm(), e.ranks().get(0).skippedSteps(),
          evaluations.size() == epochs.size() ? String.format(java.util.Locale.ROOT,
              ", \"test_accuracy\": %.4f", evaluations.get(i).accuracy()) : ""));
    }
    sb.append("]");
    io.sparkzero.worker.train.ModelStateBytes state = epochs.get(epochs.size() - 1).ranks().get(0).stateBytes();
    sb.append(String.format(java.util.Locale.ROOT, ", \"rank0_state_bytes\": {\"params\": %d, \"grads\": %d,"
        + " \"optimizer\": %d, \"buffers\": %d, \"peak_params\": %d}", state.paramBytes(),
        state.gradBytes(), state.optimizerBytes(), state.bufferBytes(), state.peakParamBytes()));
    ProcessMemory rank0 = epochs.get(epochs.size() - 1).memory().get(0);
    sb.append(String.format(java.util.Locale.ROOT, ", \"rank0_process\": {\"peak_rss_bytes\": %d,"
        + " \"heap_max_bytes\": %d}", rank0.peakResidentBytes(), rank0.heapMaxBytes()));
    StateTraffic io = epochs.get(epochs.size() - 1).offload().get(0);
    sb.append(String.format(java.util.Locale.ROOT, ", \"rank0_offload\": {\"read_bytes\": %d,"
        + " \"read_s\": %.3f, \"read_gb_per_s\": %.3f, \"write_bytes\": %d, \"write_s\": %.3f,"
        + " \"write_gb_per_s\": %.3f, \"disk_bytes_per_rank\": %d}", io.readBytes(), io.readNanos() / 1e9,
        io.readBytesPerS() / 1e9, io.writeBytes(), io.writeNanos() / 1e9,
        io.writeBytesPerS() / 1e9, plan.diskBytesPerRank()));
    sb.append(String.format(java.util.Locale.ROOT, ", \"predicted_state_bytes\": {\"params\": %d,"
        + " \"grads\": %d, \"optimizer\": %d, \"buffers\": %d}", predicted.paramBytes(),
        predicted.gradBytes(), predicted.optimizerBytes(), predicted.bufferBytes()));
    if (eval != null) {
      sb.append(String.format(java.util.Locale.ROOT, ", \"test_accuracy\": %.4f", eval.accuracy()));
    }
    sb.append(", \"recoveries\": [");
    for (int i = 0; i < recoveries.size(); i++) {
      Recovery r = recoveries.get(i);
      sb.append(i == 0 ? "" : ", ").append(String.format(java.util.Locale.ROOT,
          "{\"epoch\": %d, \"from_step\": %d, \"seconds_to_resume\": %.3f,"
              + " \"resumed_at_ms\": %d}", r.epoch() + 1, r.fromStep(), r.secondsToResume(),
          r.resumedAtMs()));
    }
    sb.append("]");
    return sb.append("}").toString();
  }

  private static String randomHex(int bytes) {
    byte[] b = new byte[bytes];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
