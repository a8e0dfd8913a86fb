package io.sparkzero.driver.train;

import io.sparkzero.driver.eval.Evaluator;
import io.sparkzero.worker.adv.AttackOptions;
import io.sparkzero.driver.progress.LiveSteps;
import io.sparkzero.driver.prune.TrainPruning;
import io.sparkzero.driver.progress.RunMonitor;
import io.sparkzero.driver.spark.SparkJobs;
import io.sparkzero.worker.data.KeptIds;
import io.sparkzero.worker.data.LabeledExample;
import io.sparkzero.worker.session.EpochAttempt;
import io.sparkzero.worker.session.RankJob;
import io.sparkzero.worker.train.EpochResult;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * A run's epochs, top to bottom: for each, the examples it trains on when the run prunes, one barrier stage (relaunched from a checkpoint when
 * it fails), the check that the ranks agree, the epoch's summary, its evaluation, and what the
 * run's monitor hears of each. One per run; {@link #run} once.
 */
final class EpochLoop {
  private final SparkSession spark;
  private final RankJob spec;
  private final JavaRDD<LabeledExample> shards;
  private final int epochs;
  private final ResumePoint resume;
  private final Evaluation evaluation;
  private final StageRestarts restarts;
  private final RunMonitor monitor;
  private final TrainPruning pruning;
  private final PrintStream out;
  private final EpochListener listener;
  private final List<EpochSummary> summaries = new ArrayList<>();
  private boolean gpusReported;
  private final List<Evaluator.Result> evaluations = new ArrayList<>();
  private Evaluator.Robust robust;
  private float[] finalParams;
  /** When the driver submitted the last stage attempt, and held all its reports (-1: none yet). */
  private long stageSubmitMs = -1;
  private long stageEndMs = -1;
  /** The driver's rendezvous the ranks meet at, or null: Spark's barrier. */
  private final RendezvousServer.Address rendezvous;
  /** The serialized stream plan when the ranks stream their data; null: they hold it. */
  private final Broadcast<byte[]> stream;
  private long streamSkippedRecords;

  /**
   * What is evaluated after which epochs.
   *
   * @param test the test data, or null: no evaluation
   * @param everyEpoch after every epoch, not only the last
   * @param paramsWanted whether the driver needs the last epoch's parameters (a model file)
   * @param partitions how many tasks evaluate
   * @param robust the attack of the last epoch's robust evaluation, or null: none
   */
  record Evaluation(Evaluator evaluator, JavaRDD<LabeledExample> test, boolean everyEpoch,
      boolean paramsWanted, int partitions, AttackOptions robust) {}

  /**
   * @param shards the RDD whose partitions are the ranks: their held data, or empty partitions
   *     when they stream
   * @param stream the Java-serialized stream plan when the ranks stream; else null
   */
  EpochLoop(SparkSession spark, RankJob spec, JavaRDD<LabeledExample> shards, byte[] stream,
      int epochs, ResumePoint resume, Evaluation evaluation, StageRestarts restarts,
      RunMonitor monitor, TrainPruning pruning, PrintStream out, EpochListener listener,
      RendezvousServer.Address rendezvous) {
    this.rendezvous = rendezvous;
    this.stream = stream == null ? null
        : JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(stream);
    this.spark = spark;
    this.spec = spec;
    this.shards = shards;
    this.epochs = epochs;
    this.resume = resume;
    this.evaluation = evaluation;
    this.restarts = restarts;
    this.monitor = monitor;
    this.pruning = pruning;
    this.out = out;
    this.listener = listener;
  }

  /** Trains the epochs from {@code firstEpoch} to the last. */
  void run(int firstEpoch) {
    float[] previousParams = null;
    for (int epoch = firstEpoch; epoch < epochs; epoch++) {
      boolean last = epoch == epochs - 1;
      boolean evaluate = evaluation.test() != null && (last || evaluation.everyEpoch());
      Broadcast<KeptIds> kept = pruning == null ? null
          : pruning.before(epoch, previousParams, spec.epochStart(epoch));
      // The ranks send their shards back only when the driver needs the parameters.
      EpochAttempt first = firstAttempt(epoch, last, evaluate || last && evaluation.paramsWanted()
          || listener.wantsParams() || pruning != null && pruning.wantsParamsAfter(epoch, epochs));
      long t0 = System.nanoTime();
      int recoveriesBefore = restarts.recoveries().size();
      long previousStageEndMs = stageEndMs;
      List<RankReport> reports = restarts.run(spec, first, attempt -> runStage(attempt, kept));
      EpochSummary summary = EpochSummary.of(reports, System.nanoTime() - t0,
          StageOverhead.of(stageSubmitMs, stageEndMs,
              reports.stream().map(RankReport::timeline).toList(), previousStageEndMs));
      for (StageRestarts.Recovery r : restarts.recoveries().subList(recoveriesBefore,
          restarts.recoveries().size())) {
        monitor.recovered(r.epoch(), r.fromStep(), r.secondsToResume(), r.reason());
      }
      summaries.add(summary);
      monitor.epoch(summary);
      out.println(summary.describe());
      describeStream(epoch, reports);
      float[] params = first.returnParams() ? assemble(reports) : null;
      finalParams = last ? params : null;
      previousParams = params;
      if (evaluate) {
        evaluate(epoch, params);
      }
      if (evaluate && last && evaluation.robust() != null) {
        evaluateRobust(epoch, params);
      }
      if (listener.wantsParams()) {
        listener.epochEnded(epoch, params);
      }
      monitor.publishReport();
    }
  }

  List<EpochSummary> summaries() {
    return summaries;
  }

  List<Evaluator.Result> evaluations() {
    return evaluations;
  }

  /** The last epoch's robust evaluation, or null when none ran. */
  Evaluator.Robust robust() {
    return robust;
  }

  /** The last epoch's parameters, when they were asked for; else null. */
  float[] finalParams() {
    return finalParams;
  }

  private void evaluate(int epoch, float[] params) {
    Evaluator.Result result;
    try (SparkJobs.Description d = SparkJobs.describe(spark.sparkContext(),
        "epoch " + (epoch + 1) + "/" + epochs + ": evaluation")) {
      result = evaluation.evaluator().evaluate(spark, evaluation.test(), params,
          evaluation.partitions());
    }
    evaluations.add(result);
    monitor.evaluated(epoch, result);
    out.printf("spark-zero: epoch %d: test %s %.4f on %d examples%n", epoch + 1,
        result.reconstructs() ? "reconstruction loss" : "accuracy",
        result.reconstructs() ? result.reconstructionLoss() : result.accuracy(), result.examples());
  }

  private void evaluateRobust(int epoch, float[] params) {
    try (SparkJobs.Description d = SparkJobs.describe(spark.sparkContext(),
        "epoch " + (epoch + 1) + "/" + epochs + ": robust evaluation")) {
      long t0 = System.nanoTime();
      robust = evaluation.evaluator().robust(spark, evaluation.test(), params, evaluation.partitions(),
          evaluation.robust());
      out.printf("spark-zero: epoch %d: robust test accuracy %.4f under %s on %d examples (%.1f s)%n", epoch + 1,
          robust.accuracy(), robust.describe(), robust.examples(), (System.nanoTime() - t0) / 1e9);
    }
  }

  /**
   * An epoch's first attempt. With checkpoints, a rank without kept state restores from the step
   * the epoch starts at (committed at the previous epoch's end), or for the resumed epoch from the
   * resume point, which may be mid-epoch.
   */
  private EpochAttempt firstAttempt(int epoch, boolean last, boolean returnParams) {
    EpochAttempt attempt = EpochAttempt.of(epoch, last, returnParams);
    if (resume != null && epoch == resume.epoch()) {
      return attempt.resuming(resume.stepInEpoch(), resume.step());
    }
    if (spec.checkpoint().enabled() && (resume != null || epoch > 0)) {
      return attempt.resuming(0, spec.epochStart(epoch));
    }
    return attempt;
  }

  /** One attempt's barrier stage: a task per rank, named in Spark's UI, its steps live. */
  private List<RankReport> runStage(EpochAttempt attempt, Broadcast<KeptIds> kept) {
    ClassTag<RankReport> tag = ClassTag$.MODULE$.apply(RankReport.class);
    LiveSteps steps = monitor.attempt(spec.epochStart(attempt.epoch()) + attempt.startStep());
    String description = "epoch " + (attempt.epoch() + 1) + "/" + epochs + ": training"
        + (attempt.restoreStep() >= 0 ? " (checkpoint restore from global step "
            + attempt.restoreStep() + " where a rank kept no state)" : "");
    List<RankReport> reports;
    stageSubmitMs = System.currentTimeMillis();
    try (SparkJobs.Description d = SparkJobs.describe(spark.sparkContext(), description)) {
      reports = new ArrayList<>(SparkJobs.collect(spark.sparkContext(), shards.rdd().barrier()
              .mapPartitions(new RankTask(spec, attempt, steps, kept, rendezvous, stream), false,
                  tag).toJavaRDD(),
          "epoch " + (attempt.epoch() + 1) + "'s training stage"));
    } finally {
      monitor.stageEnded(steps);
    }
    reports.sort(Comparator.comparingInt(r -> r.result().rank()));
    reportGpus(reports);
    if (!spec.zero().stage().shardsParameters()) {
      checkRanksAgree(attempt, reports);
    }
    stageEndMs = System.currentTimeMillis();
    return reports;
  }

  /**
   * Says once per run which GPU each rank computes on, when Spark's scheduler gave the tasks GPUs;
   * and plainly when ND4J runs its CPU backend, so the GPUs go unused.
   */
  private void reportGpus(List<RankReport> reports) {
    if (gpusReported || reports.stream().noneMatch(r -> r.gpu().assigned())) {
      return;
    }
    gpusReported = true;
    String ranks = reports.stream().map(r -> r.gpu().describe())
        .collect(java.util.stream.Collectors.joining(", "));
    if (reports.stream().anyMatch(r -> r.gpu().cpuBackend())) {
      out.println("spark-zero: Spark gave the ranks GPUs, but ND4J runs its CPU backend (build"
          + " with -Pcuda for CUDA), so they compute on CPUs: " + ranks);
    } else {
      out.println("spark-zero: GPUs: " + ranks);
    }
  }

  /** Stages 0-2 end with one replica on every rank: its hash must be the same everywhere. */
  private static void checkRanksAgree(EpochAttempt attempt, List<RankReport> reports) {
    long hash0 = reports.get(0).result().paramHash();
    for (RankReport r : reports) {
      EpochResult e = r.result();
      if (e.paramHash() != hash0) {
        throw new IllegalStateException("epoch " + attempt.epoch() + ": rank " + e.rank()
            + " ended with parameter hash " + Long.toHexString(e.paramHash()) + " but rank 0 with "
            + Long.toHexString(hash0) + "; ranks diverged");
      }
    }
  }

  /**
   * The epoch's stream on the console when the ranks stream: the slowest reader's rate, the
   * longest any rank waited for its reader, and the bad records skipped.
   */
  private void describeStream(int epoch, List<RankReport> reports) {
    if (stream == null) {
      return;
    }
    double slowest = Double.MAX_VALUE;
    long waitNanos = 0;
    long skipped = 0;
    for (RankReport r : reports) {
      slowest = Math.min(slowest, r.stream().readExamplesPerS());
      waitNanos = Math.max(waitNanos, r.stream().waitNanos());
      skipped += r.stream().skippedRecords();
    }
    streamSkippedRecords = Math.max(streamSkippedRecords, skipped);
    out.printf("spark-zero: epoch %d stream: slowest reader %.0f examples/s, longest wait for"
        + " data %.2f s%s%n", epoch + 1, slowest, waitNanos / 1e9,
        skipped == 0 ? "" : ", " + skipped + " bad record(s) skipped");
  }

  /**
   * Bad records the ranks' streams skipped in an epoch, the most of any epoch: each epoch reads
   * the data set, its bad records with it, again.
   */
  long streamSkippedRecords() {
    return streamSkippedRecords;
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
}
