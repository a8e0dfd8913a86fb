package io.sparkzero.driver.train;

import io.sparkzero.checkpoint.CheckpointStore;
import io.sparkzero.driver.data.LoadedData;
import io.sparkzero.driver.errors.UserErrors;
import io.sparkzero.driver.eval.Evaluator;
import io.sparkzero.driver.options.JobConfig;
import io.sparkzero.driver.options.JobOptions;
import io.sparkzero.driver.options.TrainingSettings;
import io.sparkzero.driver.progress.Console;
import io.sparkzero.driver.progress.LiveSteps;
import io.sparkzero.driver.progress.RunFacts;
import io.sparkzero.driver.progress.RunMonitor;
import io.sparkzero.driver.spark.SparkJobs;
import io.sparkzero.sharding.collective.AeronRuntime;
import io.sparkzero.sharding.options.ConfigException;
import io.sparkzero.sharding.plan.Bytes;
import io.sparkzero.sharding.plan.StageMemory;
import io.sparkzero.worker.data.LabeledExample;
import io.sparkzero.worker.optim.OptimizerOptions;
import io.sparkzero.worker.session.CheckpointSettings;
import io.sparkzero.worker.session.CollectivesFactory;
import io.sparkzero.worker.session.EpochAttempt;
import io.sparkzero.worker.session.ExecutorRuntime;
import io.sparkzero.worker.session.RankJob;
import io.sparkzero.worker.train.EpochResult;
import io.sparkzero.worker.train.EpochSchedule;
import io.sparkzero.worker.train.LossScale;
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
  private final MemoryCheck.JobPlan plan;
  private final Console console;
  private final PrintStream out;

  private TrainingJob(JobConfig config, MemoryCheck.JobPlan plan, Console console) {
    this.config = config;
    this.plan = plan;
    this.console = console;
    this.out = console.out();
  }

  /**
   * A job whose options were checked and whose memory plan fits: the one place the driver
   * validates a job and builds its model. Throws {@link ConfigException} naming what is wrong,
   * before any Spark session is needed; messages go to {@code out}.
   */
  public static TrainingJob checked(JobConfig config, PrintStream out) {
    return checked(config, Console.plain(out));
  }

  /** As {@link #checked(JobConfig, PrintStream)}, with progress on {@code console}. */
  public static TrainingJob checked(JobConfig config, Console console) {
    JobValidation.check(config);
    return new TrainingJob(config, MemoryCheck.check(config), console);
  }

  /** Runs the job on the given session (which the caller owns and stops). */
  public TrainingReport run(SparkSession spark) {
    int worldSize = config.get(JobOptions.WORLD_SIZE);
    int microBatches = TrainingSettings.accumulation(config);
    int batchSize = config.get(JobOptions.BATCH_SIZE) * microBatches; // per rank per step
    int epochs = config.get(JobOptions.EPOCHS);
    LoadedData train = JobData.loadTrain(spark, config);
    if (!train.badRecords().isEmpty()) {
      out.println("spark-zero: training data: " + train.badRecords().summary());
    }
    JavaRDD<LabeledExample> shards = train.examples().repartition(worldSize).persist(StorageLevel.MEMORY_ONLY());
    long count;
    try (SparkJobs.Description d = SparkJobs.describe(spark.sparkContext(), "loading the training data")) {
      count = shards.count();
    }
    int steps = EpochSchedule.stepsPerEpoch(count, worldSize, batchSize);
    String jobId = spark.sparkContext().applicationId() + "-" + randomHex(4);
    RankJob spec = new RankJob(jobId, new SecureRandom().nextLong(), config.get(JobOptions.MODEL),
        config.get(JobOptions.SEED), TrainingSettings.optimizer(config),
        TrainingSettings.zero(config), TrainingSettings.offload(config), batchSize, microBatches,
        TrainingSettings.schedule(config, steps), TrainingSettings.lossScale(config),
        TrainingSettings.halfPrecision(config), steps, train.numFeatures(), train.numClasses(),
        config.get(JobOptions.ND4J_THREADS), new java.util.TreeMap<>(config.collectiveEntries()),
        checkpointSettings(spark));
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
    StageRestarts restarts = new StageRestarts(spark, config.get(JobOptions.MAX_RESTARTS), out);
    List<EpochSummary> epochsRun = new ArrayList<>();
    List<Evaluator.Result> evaluations = new ArrayList<>();
    float[] finalParams = null;
    RunMonitor monitor = RunMonitor.start(spark.sparkContext(),
        runFacts(spark, spec, count, firstEpoch), config.entries(), console, monitorSettings());
    String failure = "the run was interrupted";
    try {
      try {
        for (int epoch = firstEpoch; epoch < epochs; epoch++) {
          boolean last = epoch == epochs - 1;
          // The ranks send their shards back only when the driver needs the parameters.
          EpochAttempt first = firstAttempt(spec, epoch, last,
              last && needFinalParams || evalEveryEpoch, resume);
          long t0 = System.nanoTime();
          int recoveriesBefore = restarts.recoveries().size();
          List<RankReport> reports = restarts.run(spec, first,
              attempt -> runStage(spark, shards, spec, attempt, epochs, monitor));
          long stageNanos = System.nanoTime() - t0;
          for (StageRestarts.Recovery r : restarts.recoveries().subList(recoveriesBefore,
              restarts.recoveries().size())) {
            monitor.recovered(r.epoch(), r.fromStep(), r.secondsToResume(), r.reason());
          }
          EpochSummary summary = EpochSummary.of(reports, stageNanos);
          epochsRun.add(summary);
          monitor.epoch(summary);
          out.println(summary.describe());
          float[] params = first.returnParams() ? assemble(reports) : null;
          if (last) {
            finalParams = params;
          }
          if (last && evaluate || evalEveryEpoch) {
            Evaluator.Result result;
            try (SparkJobs.Description d = SparkJobs.describe(spark.sparkContext(),
                "epoch " + (epoch + 1) + "/" + epochs + ": evaluation")) {
              result = evaluator.evaluate(spark, test, params, worldSize);
            }
            evaluations.add(result);
            monitor.evaluated(epoch, result);
            out.printf("spark-zero: epoch %d: test accuracy %.4f on %d examples%n", epoch + 1,
                result.accuracy(), result.examples());
          }
          monitor.publishReport();
        }
      } finally {
        shards.unpersist(false);
        // In local mode the ranks ran in this JVM: drop their state and the job's media driver.
        ExecutorRuntime.release(jobId);
        AeronRuntime.releaseIfRunning(CollectivesFactory.options(spec).resolvedAeronDir());
      }
      String modelOut = config.get(JobOptions.OUTPUT_MODEL);
      if (!modelOut.isEmpty()) {
        ModelOutput.write(spark, spec.model(), spec.seed(), finalParams, modelOut);
        out.println("spark-zero: model written to " + modelOut);
      }
      failure = null;
    } catch (RuntimeException | Error e) {
      failure = UserErrors.classify(e).message();
      throw e;
    } finally {
      try (RunMonitor closing = monitor) {
        closing.finish(failure);
      }
    }
    Evaluator.Result eval = evaluations.isEmpty() ? null : evaluations.get(evaluations.size() - 1);
    out.println("spark-zero: summary " + RunSummary.of(spec, epochsRun, evaluations, plan,
        restarts.recoveries()).toJson());
    return new TrainingReport(epochsRun, eval, evaluations, finalParams, train.badRecords().skippedCount());
  }

  /**
   * An epoch's first attempt. With checkpoints, a rank without kept state restores from the step
   * the epoch starts at (committed at the previous epoch's end), or for the resumed epoch from the
   * resume point, which may be mid-epoch.
   */
  private static EpochAttempt firstAttempt(RankJob job, int epoch, boolean last,
      boolean returnParams, ResumePoint resume) {
    EpochAttempt attempt = EpochAttempt.of(epoch, last, returnParams);
    if (resume != null && epoch == resume.epoch()) {
      return attempt.resuming(resume.stepInEpoch(), resume.step());
    }
    if (job.checkpoint().enabled() && (resume != null || epoch > 0)) {
      return attempt.resuming(0, job.epochStart(epoch));
    }
    return attempt;
  }

  /** The job's checkpoint settings; the executors get the job's {@code spark.hadoop.*} ones. */
  private CheckpointSettings checkpointSettings(SparkSession spark) {
    String uri = config.get(JobOptions.CHECKPOINT_PATH);
    if (uri.isEmpty()) {
      return CheckpointSettings.none();
    }
    java.util.TreeMap<String, String> hadoop = new java.util.TreeMap<>();
    for (scala.Tuple2<String, String> e : spark.sparkContext().getConf()
        .getAllWithPrefix("spark.hadoop.")) {
      hadoop.put(e._1(), e._2());
    }
    return new CheckpointSettings(uri, config.get(JobOptions.CHECKPOINT_EVERY_STEPS),
        config.get(JobOptions.CHECKPOINT_KEEP), hadoop);
  }

  /** The newest usable committed checkpoint, or null (no checkpoints, or none yet). */
  private ResumePoint resumePoint(SparkSession spark, RankJob spec, MemoryCheck.JobPlan plan) {
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

  private static List<RankReport> runStage(SparkSession spark, JavaRDD<LabeledExample> shards,
      RankJob spec, EpochAttempt attempt, int epochs, RunMonitor monitor) {
    ClassTag<RankReport> tag = ClassTag$.MODULE$.apply(RankReport.class);
    LiveSteps steps = monitor.attempt(spec.epochStart(attempt.epoch()) + attempt.startStep());
    String description = "epoch " + (attempt.epoch() + 1) + "/" + epochs + ": training"
        + (attempt.restoreStep() >= 0 ? " (checkpoint restore from global step "
            + attempt.restoreStep() + " where a rank kept no state)" : "");
    List<RankReport> reports;
    try (SparkJobs.Description d = SparkJobs.describe(spark.sparkContext(), description)) {
      reports = new ArrayList<>(SparkJobs.collect(spark.sparkContext(), shards.rdd().barrier()
              .mapPartitions(new RankTask(spec, attempt, steps), false, tag).toJavaRDD(),
          "epoch " + (attempt.epoch() + 1) + "'s training stage"));
    } finally {
      monitor.stageEnded(steps);
    }
    reports.sort(Comparator.comparingInt(r -> r.result().rank()));
    if (spec.zero().stage().shardsParameters()) {
      return reports; // each rank holds a different shard: nothing to compare
    }
    long hash0 = reports.get(0).result().paramHash();
    for (RankReport r : reports) {
      EpochResult e = r.result();
      if (e.paramHash() != hash0) {
        throw new IllegalStateException("epoch " + attempt.epoch() + ": rank " + e.rank()
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

  /** What the run's monitor needs to know before the first epoch. */
  private RunFacts runFacts(SparkSession spark, RankJob spec, long examples, int firstEpoch) {
    StageMemory m = plan.memory();
    return new RunFacts(config.get(JobOptions.JOB_NAME), spark.sparkContext().applicationId(),
        spec.model(), config.get(JobOptions.WORLD_SIZE), config.get(JobOptions.EPOCHS), firstEpoch,
        spec.stepsPerEpoch(), spec.batchSize(), examples, spec.zero().stage().number(),
        new RunFacts.Plan(m.paramBytes(), m.gradBytes(), m.optimizerBytes(), m.bufferBytes(),
            plan.budget().bytes(), plan.budget().source(), plan.diskBytesPerRank()));
  }

  private RunMonitor.Settings monitorSettings() {
    return new RunMonitor.Settings(config.get(JobOptions.OUTPUT_METRICS),
        config.get(JobOptions.OUTPUT_REPORT), config.get(JobOptions.PROGRESS_INTERVAL_S) * 1000L);
  }

  private static String randomHex(int bytes) {
    byte[] b = new byte[bytes];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
