package io.sparkzero.driver.train;

import io.sparkzero.checkpoint.CheckpointStore;
import io.sparkzero.driver.data.LoadedData;
import io.sparkzero.driver.errors.UserErrors;
import io.sparkzero.driver.eval.Evaluator;
import io.sparkzero.driver.options.JobConfig;
import io.sparkzero.driver.options.JobOptions;
import io.sparkzero.driver.options.TrainingSettings;
import io.sparkzero.driver.progress.Console;
import io.sparkzero.driver.progress.RunFacts;
import io.sparkzero.driver.progress.RunMonitor;
import io.sparkzero.driver.prune.TrainPruning;
import io.sparkzero.driver.spark.SparkJobs;
import io.sparkzero.sharding.collective.AeronRuntime;
import io.sparkzero.sharding.options.ConfigException;
import io.sparkzero.sharding.plan.Bytes;
import io.sparkzero.sharding.plan.StageMemory;
import io.sparkzero.worker.data.LabeledExample;
import io.sparkzero.worker.model.Models;
import io.sparkzero.worker.model.TrainableModel;
import io.sparkzero.worker.session.CheckpointSettings;
import io.sparkzero.worker.session.CollectivesFactory;
import io.sparkzero.worker.session.ExecutorRuntime;
import io.sparkzero.worker.session.RankJob;
import io.sparkzero.worker.data.StreamPlan;
import io.sparkzero.worker.train.EpochSchedule;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The driver's orchestration of one training run: load and partition the data, run one barrier
 * stage per epoch (one task per rank), check that the ranks agree, evaluate, write the model.
 */
public final class TrainingJob {
  private final JobConfig config;
  private final MemoryCheck.JobPlan plan;
  /** The model's outputs, checked against the training data's features once it is loaded. */
  private final int modelOutputs;
  private final int modelInputs;
  private final Console console;
  private final PrintStream out;
  /** Whether the report carries the trained parameters even when nothing else needs them. */
  private boolean paramsWanted;

  private TrainingJob(JobConfig config, MemoryCheck.JobPlan plan, TrainableModel model,
      Console console) {
    this.config = config;
    this.plan = plan;
    this.modelOutputs = model.numClasses();
    this.modelInputs = model.numFeatures();
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
    TrainableModel model = Models.create(config.get(JobOptions.MODEL), config.get(JobOptions.SEED));
    ObjectiveCheck.check(config, model);
    AdvSettings.checkModel(config, model);
    return new TrainingJob(config, MemoryCheck.check(config, model), model, console);
  }

  /** The model's outputs: its classes, for a classifier. */
  public int modelOutputs() {
    return modelOutputs;
  }

  /** The features the model takes per example. */
  public int modelInputs() {
    return modelInputs;
  }

  /**
   * Makes the run's report carry the trained parameters ({@link TrainingReport#finalParams()})
   * even when the job neither evaluates nor writes a model file: for a caller that keeps the model.
   */
  public TrainingJob keepingFinalParams() {
    paramsWanted = true;
    return this;
  }

  /** Runs the job on the given session (which the caller owns and stops). */
  public TrainingReport run(SparkSession spark) {
    if (streaming(config)) {
      return runStreamed(spark);
    }
    return run(spark, JobData.loadTrain(spark, config), EpochListener.NONE);
  }

  /** Whether the job streams its training data ({@code data.mode stream}). */
  static boolean streaming(JobConfig config) {
    return config.get(JobOptions.DATA_MODE).equals("stream");
  }

  /**
   * Runs the job on {@code train}, already loaded (a caller that trains several times on the same
   * data loads it once), telling {@code listener} each epoch's parameters. The ranks hold the
   * data in memory: {@code data.mode stream} reads the files {@code data.train} names and is
   * refused here.
   */
  public TrainingReport run(SparkSession spark, LoadedData train, EpochListener listener) {
    if (streaming(config)) {
      throw new ConfigException(JobOptions.DATA_MODE.key(), "stream reads the files data.train"
          + " names; data already loaded (a DataFrame, or a pruning experiment's set) trains"
          + " held in memory: set data.mode memory");
    }
    int worldSize = config.get(JobOptions.WORLD_SIZE);
    if (!train.badRecords().isEmpty()) {
      out.println("spark-zero: training data: " + train.badRecords().summary());
    }
    // On disk only: once a rank has read its partition it holds the only copy in memory; the
    // disk copy spares a rank that starts again elsewhere (a lost executor) the source's read.
    JavaRDD<LabeledExample> shards = train.examples().repartition(worldSize)
        .persist(StorageLevel.DISK_ONLY());
    long count;
    try (SparkJobs.Description d = SparkJobs.describe(spark.sparkContext(), "loading the training data")) {
      count = checkShares(shards.mapPartitions(examples -> {
        long n = 0;
        for (; examples.hasNext(); examples.next()) {
          n++;
        }
        return java.util.List.of(n).iterator();
      }).collect(), worldSize);
    }
    ObjectiveCheck.checkData(config, modelOutputs, train.numFeatures());
    MemoryCheck.checkData(plan, count, train.numFeatures(), worldSize);
    long dataBytes = MemoryCheck.dataBytesPerRank(count, train.numFeatures(), worldSize);
    try {
      return launch(spark, new Inputs(shards, null, count, train.numFeatures(),
          train.numClasses(), dataBytes, train), listener);
    } finally {
      shards.unpersist(false);
    }
  }

  /**
   * Runs the job streaming its training data: the driver lists the chunks from the files'
   * metadata, and each epoch every rank reads its share of them.
   */
  private TrainingReport runStreamed(SparkSession spark) {
    int worldSize = config.get(JobOptions.WORLD_SIZE);
    StreamPlan stream = JobData.streamPlan(spark, config);
    if (stream.chunks().size() < worldSize) {
      throw new ConfigException(JobOptions.WORLD_SIZE.key(), "the training data streams in "
          + stream.chunks().size() + " chunk(s) (Parquet row groups, or data.chunk-examples of"
          + " IDX or synthetic data), fewer than the " + worldSize + " ranks: every rank needs"
          + " one; write smaller row groups, lower data.chunk-examples, or use fewer ranks");
    }
    ObjectiveCheck.checkData(config, modelOutputs, stream.numFeatures());
    MemoryCheck.checkStream(plan, stream.heldBytes());
    out.printf("spark-zero: streaming %d examples in %d chunks; per rank a shuffle window of %d"
        + " examples, %s held at most%n", stream.count(), stream.chunks().size(),
        stream.windowExamples(), Bytes.format(stream.heldBytes()));
    // Pruning scores the data through Spark (a read, nothing cached); without it nothing is read.
    LoadedData scored = TrainPruning.enabled(config) ? JobData.loadTrain(spark, config) : null;
    JavaRDD<LabeledExample> barrier = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(List.<LabeledExample>of(), worldSize);
    return launch(spark, new Inputs(barrier, StreamBroadcast.bytes(stream), stream.count(),
        stream.numFeatures(), stream.numClasses(), stream.heldBytes(), scored),
        EpochListener.NONE);
  }

  /**
   * The training data as the epochs see it.
   *
   * @param barrier the RDD whose partitions are the ranks: the held shards, or empty ones
   * @param stream the Java-serialized {@link StreamPlan} when the ranks stream; else null
   * @param count the training examples
   * @param dataBytes what the data costs a rank in memory, for the console
   * @param loaded the data as Spark reads it, for pruning and its bad-record report; null when
   *     streaming without pruning
   */
  private record Inputs(JavaRDD<LabeledExample> barrier, byte[] stream, long count,
      int numFeatures, int numClasses, long dataBytes, LoadedData loaded) {}

  /** Prunes when asked, takes the checkpoint's lease, and trains. */
  private TrainingReport launch(SparkSession spark, Inputs inputs, EpochListener listener) {
    TrainPruning pruning = TrainPruning.start(spark, config, inputs.loaded(), inputs.count(), out);
    long trainCount = pruning == null ? inputs.count() : pruning.keptCount();
    RankJob spec = rankJob(spark, inputs.numFeatures(), inputs.numClasses(), trainCount);
    try (CheckpointLeaseKeeper lease = CheckpointLeaseKeeper.take(spark, spec, config, out)) {
      return train(spark, inputs, listener, pruning, trainCount, spec);
    }
  }

  /**
   * The training examples in all, given each rank's share: every rank needs at least one, since a
   * rank without data cannot take its part in the lock-step.
   */
  static long checkShares(List<Long> shares, int worldSize) {
    long count = shares.stream().mapToLong(Long::longValue).sum();
    List<Integer> empty = java.util.stream.IntStream.range(0, shares.size())
        .filter(r -> shares.get(r) == 0).boxed().toList();
    if (!empty.isEmpty()) {
      throw new ConfigException(JobOptions.WORLD_SIZE.key(), "the training data's " + count
          + " example(s) leave rank(s) " + empty + " of " + worldSize + " without any: every rank"
          + " needs a share; give more data or set train.world-size to at most " + count);
    }
    return count;
  }

  /** The run from its resume point on, with the checkpoint directory's lease held. */
  private TrainingReport train(SparkSession spark, Inputs inputs, EpochListener listener,
      TrainPruning pruning, long trainCount, RankJob spec) {
    ResumePoint resume = resumePoint(spark, spec, plan);
    int firstEpoch = resume == null ? 0 : resume.epoch();
    if (pruning != null) {
      pruning.startAt(firstEpoch, resume != null);
    }
    int epochs = config.get(JobOptions.EPOCHS);
    if (firstEpoch >= epochs) {
      throw new ConfigException(JobOptions.EPOCHS.key(), "the checkpoint at global step "
          + resume.step() + " under " + config.get(JobOptions.CHECKPOINT_PATH) + " already"
          + " completes " + firstEpoch + " epoch(s); set train.epochs above " + firstEpoch
          + " to train on, or point checkpoint.path elsewhere");
    }
    describePlan(spec, trainCount, inputs.dataBytes());
    StageRestarts restarts = new StageRestarts(spark, config.get(JobOptions.MAX_RESTARTS), out);
    RunMonitor monitor = RunMonitor.start(spark.sparkContext(),
        runFacts(spark, spec, trainCount, firstEpoch), config.entries(), console, monitorSettings());
    RendezvousServer rendezvous = config.get(JobOptions.RENDEZVOUS).equals("driver")
        ? RendezvousServer.start(spark.sparkContext().getConf().get("spark.driver.bindAddress",
            spark.sparkContext().getConf().get("spark.driver.host")),
            spark.sparkContext().getConf().get("spark.driver.host"), RankTask.rendezvousKey(spec),
            CollectivesFactory.options(spec).timeoutMs())
        : null;
    EpochLoop loop = new EpochLoop(spark, spec, inputs.barrier(), inputs.stream(), epochs, resume, evaluation(spark, spec),
        restarts, monitor, pruning, out, listener,
        rendezvous == null ? null : rendezvous.address());
    String failure = "the run was interrupted";
    try {
      try {
        loop.run(firstEpoch);
      } finally {
        if (rendezvous != null) {
          rendezvous.close();
        }
        if (pruning != null) {
          pruning.close();
        }
        // In local mode the ranks ran in this JVM: drop their state and the job's media driver.
        ExecutorRuntime.release(spec.jobId());
        KeptRings.release(spec.jobId());
        AeronRuntime.releaseIfRunning(CollectivesFactory.options(spec).resolvedAeronDir());
      }
      String modelOut = config.get(JobOptions.OUTPUT_MODEL);
      if (!modelOut.isEmpty()) {
        ModelOutput.write(spark, spec.model(), spec.seed(), loop.finalParams(), modelOut);
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
    List<Evaluator.Result> evaluations = loop.evaluations();
    out.println("spark-zero: summary " + RunSummary.of(spec, loop.summaries(), evaluations, loop.robust(), plan,
        restarts.recoveries()).toJson());
    return new TrainingReport(loop.summaries(),
        evaluations.isEmpty() ? null : evaluations.get(evaluations.size() - 1), evaluations,
        loop.finalParams(), (inputs.loaded() == null ? 0
            : inputs.loaded().badRecords().skippedCount()) + loop.streamSkippedRecords(),
        loop.robust());
  }

  /** What every rank needs to know of the job, with {@code count} training examples. */
  private RankJob rankJob(SparkSession spark, int numFeatures, int numClasses, long count) {
    int worldSize = config.get(JobOptions.WORLD_SIZE);
    int microBatches = TrainingSettings.accumulation(config);
    int batchSize = config.get(JobOptions.BATCH_SIZE) * microBatches; // per rank per step
    int steps = EpochSchedule.stepsPerEpoch(count, worldSize, batchSize);
    String jobId = spark.sparkContext().applicationId() + "-" + randomHex(4);
    return new RankJob(jobId, new SecureRandom().nextLong(), config.get(JobOptions.MODEL),
        config.get(JobOptions.SEED), TrainingSettings.objective(config),
        TrainingSettings.optimizer(config),
        TrainingSettings.zero(config), TrainingSettings.offload(config), batchSize, microBatches,
        TrainingSettings.schedule(config, steps), TrainingSettings.lossScale(config),
        TrainingSettings.halfPrecision(config), steps, numFeatures, numClasses,
        config.get(JobOptions.ND4J_THREADS), new java.util.TreeMap<>(config.collectiveEntries()),
        checkpointSettings(spark), AdvSettings.of(config));
  }

  /** The run's shape and memory plan, on the console before the first epoch. */
  private void describePlan(RankJob spec, long count, long dataBytes) {
    out.printf("spark-zero: %d training examples, %d ranks x batch %d, %d steps per epoch, model %s%n",
        count, config.get(JobOptions.WORLD_SIZE), spec.batchSize(), spec.stepsPerEpoch(),
        spec.model());
    StageMemory predicted = plan.memory();
    out.printf("spark-zero: zero.stage %d, predicted per rank: parameters %s, gradients %s,"
            + " optimizer state %s, buffers %s, training data %s; budget %s (%s)%n",
        spec.zero().stage().number(), Bytes.format(predicted.paramBytes()),
        Bytes.format(predicted.gradBytes()), Bytes.format(predicted.optimizerBytes()),
        Bytes.format(predicted.bufferBytes()), Bytes.format(dataBytes),
        Bytes.format(plan.budget().bytes()), plan.budget().source());
    if (plan.diskBytesPerRank() > 0) {
      out.printf("spark-zero: offload nvme: %s of model state per rank under %s%n",
          Bytes.format(plan.diskBytesPerRank()), config.get(JobOptions.OFFLOAD_NVME_PATH));
    }
  }

  /** What the run evaluates, on which test data. */
  private EpochLoop.Evaluation evaluation(SparkSession spark, RankJob spec) {
    boolean evaluate = !config.get(JobOptions.DATA_TEST).isEmpty();
    return new EpochLoop.Evaluation(
        new Evaluator(spec.model(), spec.seed(), config.get(JobOptions.EVAL_BATCH), spec.objective()),
        evaluate ? JobData.loadTest(spark, config).examples() : null,
        config.get(JobOptions.EVAL_EVERY_EPOCH), paramsWanted || !config.get(JobOptions.OUTPUT_MODEL).isEmpty(),
        config.get(JobOptions.WORLD_SIZE), AdvSettings.robustAttack(config));
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
        config.get(JobOptions.CHECKPOINT_KEEP), hadoop, config.get(JobOptions.CHECKPOINT_FILE_MODE));
  }

  /** The newest usable committed checkpoint, or null (no checkpoints, or none yet). */
  private ResumePoint resumePoint(SparkSession spark, RankJob spec, MemoryCheck.JobPlan plan) {
    if (!spec.checkpoint().enabled()) {
      return null;
    }
    CheckpointStore store = CheckpointStore.open(spec.checkpoint().uri(),
        spark.sparkContext().hadoopConfiguration(), spec.checkpoint().storeOptions());
    ResumePoint point = ResumePoint.find(store,
        config.get(JobOptions.CHECKPOINT_ON_CORRUPT).equals("previous"),
        new ResumePoint.Job(spec.model(), spec.seed(), spec.optimizer().name(),
            config.get(JobOptions.CHECKPOINT_ALLOW_OPTIMIZER_CHANGE), plan.input().numParams(),
            plan.input().optimizerStateFloats(), spec.stepsPerEpoch()), out).orElse(null);
    if (point != null) {
      out.printf("spark-zero: resuming from checkpoint %s (global step %d: epoch %d, step %d)%n",
          store.stepUri(point.step()), point.step(), point.epoch() + 1, point.stepInEpoch());
    }
    return point;
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
