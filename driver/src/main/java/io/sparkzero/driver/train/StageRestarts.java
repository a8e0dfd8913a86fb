package io.sparkzero.driver.train;

import io.sparkzero.checkpoint.CheckpointStore;
import io.sparkzero.worker.session.EpochAttempt;
import io.sparkzero.worker.session.RankJob;
import io.sparkzero.worker.train.LossScale;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;

/**
 * The restart policy of a training run: which failed epoch stages are relaunched, from which
 * checkpoint, and the record of each recovery (for the run's summary). One per run.
 */
final class StageRestarts {
  /** A spark-zero exception's line in a failed task's text: {@code io.sparkzero...Exception: msg}. */
  private static final Pattern RANK_FAILURE =
      Pattern.compile("(?m)^io\\.sparkzero\\.[\\w.$]+(?:Exception|Error): (.*)$");

  /** Spark's line for a task whose executor died: {@code ExecutorLostFailure (executor 1 ...)}. */
  private static final Pattern EXECUTOR_LOST =
      Pattern.compile("(?m)^(ExecutorLostFailure \\(.*)$");

  /** How long a relaunch waits for lost executors to be replaced. */
  private static final long EXECUTOR_WAIT_MS = 120_000;

  /** A failed epoch that was relaunched from a checkpoint, and how long training stood still. */
  record Recovery(int epoch, long fromStep, double secondsToResume, long resumedAtMs,
      String reason) {}

  private final SparkSession spark;
  private final int maxRestarts;
  private final PrintStream out;
  private final List<Recovery> recoveries = new ArrayList<>();

  /** Relaunches up to {@code maxRestarts} times per epoch, saying so on {@code out}. */
  StageRestarts(SparkSession spark, int maxRestarts, PrintStream out) {
    this.spark = spark;
    this.maxRestarts = maxRestarts;
    this.out = out;
  }

  /** The recoveries so far, in order. */
  List<Recovery> recoveries() {
    return Collections.unmodifiableList(recoveries);
  }

  /**
   * Runs one epoch's stage; with checkpoints, a failed stage (Spark does not retry a barrier
   * stage) is relaunched from the newest committed checkpoint, up to {@code train.max-restarts}
   * times, each time saying why. A run stopped by too many skipped steps (its gradients kept
   * overflowing) is not relaunched: it would diverge again at the same step; nor is anything
   * once the session itself was stopped.
   */
  List<RankReport> run(RankJob job, EpochAttempt first,
      Function<EpochAttempt, List<RankReport>> stage) {
    int executors = executorCount(spark);
    EpochAttempt attempt = first;
    long failedAtMs = -1;
    String failure = null;
    for (int restart = 0; ; restart++) {
      try {
        List<RankReport> reports = stage.apply(attempt);
        if (failedAtMs >= 0) {
          long startedAtMs = reports.stream().mapToLong(r -> r.timeline().trainStartMs()).max()
              .orElseThrow();
          double seconds = (startedAtMs - failedAtMs) / 1000.0;
          recoveries.add(new Recovery(first.epoch(), attempt.restoreStep(),
              seconds, startedAtMs, failure));
          out.printf(java.util.Locale.ROOT, "spark-zero: epoch %d resumed training %.1f s after"
              + " the failure%n", first.epoch() + 1, seconds);
        }
        return reports;
      } catch (RuntimeException e) { // a failed job (SparkJobs), or the driver's own checks
        if (!job.checkpoint().enabled() || restart >= maxRestarts
            || spark.sparkContext().isStopped()) { // stopped (a signal): nothing to rerun on
          throw e;
        }
        if (io.sparkzero.driver.errors.UserErrors.storageIsFull(e)) {
          out.printf("spark-zero: epoch %d stopped: a file system the job writes to is full (%s);"
              + " not restarting%n", first.epoch() + 1, rootMessage(e));
          throw e;
        }
        if (io.sparkzero.driver.errors.UserErrors.classify(e).kind()
            == io.sparkzero.driver.errors.ErrorKind.DATA) { // a streamed bad record: it is there again
          out.printf("spark-zero: epoch %d stopped: a bad record in the training data (%s);"
              + " not restarting%n", first.epoch() + 1, rootMessage(e));
          throw e;
        }
        if (diverged(e)) {
          out.printf("spark-zero: epoch %d stopped: the run diverged (%s); not restarting%n",
              first.epoch() + 1, rootMessage(e));
          throw e;
        }
        if (failedAtMs < 0) { // time the whole recovery, from the epoch's first failure
          failedAtMs = System.currentTimeMillis();
          failure = rootMessage(e);
        }
        CheckpointStore store = CheckpointStore.open(job.checkpoint().uri(),
            spark.sparkContext().hadoopConfiguration());
        store.cleanUncommitted(); // the failed attempt's shards of steps it did not commit
        long latest = store.latestCommitted().orElse(-1L);
        long epochStart = job.epochStart(first.epoch());
        if (latest < epochStart && first.restoreStep() >= 0) {
          throw new IllegalStateException("epoch " + (first.epoch() + 1) + " failed and no"
              + " checkpoint at or after its start (global step " + epochStart + ") is committed"
              + " under " + store.uri(), e);
        }
        int startStep = latest < epochStart ? 0 : (int) (latest - epochStart);
        out.printf("spark-zero: epoch %d failed (%s); restart %d of %d from %s%n",
            first.epoch() + 1, rootMessage(e), restart + 1, maxRestarts,
            latest < 0 ? "the initial parameters" : store.stepUri(latest));
        awaitExecutors(executors);
        attempt = first.resuming(startStep, latest);
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
  private void awaitExecutors(int executors) {
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

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (true) {
      // A rank's own failure travels inside Spark's message as the task's exception and stack
      // trace: its first line says what happened, for the console's one line.
      Matcher own = RANK_FAILURE.matcher(String.valueOf(t.getMessage()));
      if (own.find()) {
        return own.group(1);
      }
      if (t.getCause() == null || t.getCause() == t) {
        break;
      }
      t = t.getCause();
    }
    Matcher lost = EXECUTOR_LOST.matcher(String.valueOf(e.getMessage()));
    if (lost.find()) {
      return lost.group(1);
    }
    String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
    return t == e ? first : first + " / " + t.toString().lines().findFirst().orElse("");
  }
}
