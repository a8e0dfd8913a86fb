package io.sparkzero.driver.progress;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkzero.driver.eval.Evaluator;
import io.sparkzero.driver.train.EpochSummary;
import io.sparkzero.worker.train.StepMetrics;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkContext;

/**
 * What a run reports while it runs: the steps the ranks publish ({@link LiveSteps}), the epochs,
 * evaluations and recoveries the driver sees, fanned out to the console's progress, the metrics
 * file ({@code output.metrics}), Spark's metrics system and the training report ({@code
 * output.report}).
 *
 * <p>One thread owns all of it: Spark's listener thread and the driver's thread hand their events
 * over and never touch its state. The driver's calls wait for their event to be handled, so the
 * console's lines stay in order; the listener's do not (Spark's listener bus must not block).
 */
public final class RunMonitor implements AutoCloseable {
  private final SparkContext spark;
  private final RunFacts facts;
  private final PrintStream out;
  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "spark-zero-monitor");
    t.setDaemon(true);
    return t;
  });
  private final LiveStepsListener listener = new LiveStepsListener(
      steps -> thread.execute(() -> onSteps(steps.accumulatorId(), steps.steps())));
  private final TrainingSource source = new TrainingSource();
  private final ProgressConsole progress;
  private final LiveReport report;
  private final long startMs = System.currentTimeMillis();
  // owned by the monitor thread
  private MetricsLog log;
  private final StepStream stream = new StepStream();
  private long lastEpochEndMs = startMs;
  private long epochWallMsSum;
  private int epochsDone;
  private Double lastAccuracy;

  private RunMonitor(SparkContext spark, RunFacts facts, Console console, Settings settings,
      MetricsLog log) {
    this.spark = spark;
    this.facts = facts;
    this.out = console.out();
    this.progress = console.status() != null ? ProgressConsole.live(console.status())
        : ProgressConsole.lines(console.out(), settings.progressIntervalMs());
    this.report = new LiveReport(settings.reportUri(), spark.hadoopConfiguration());
    this.log = log;
  }

  /**
   * Where a run reports.
   *
   * @param metricsUri the metrics file, or empty
   * @param reportUri the HTML report, or empty
   * @param progressIntervalMs without a terminal, the time between progress lines (0: none)
   */
  public record Settings(String metricsUri, String reportUri, long progressIntervalMs) {}

  /**
   * Starts reporting the run: creates the metrics file (a file already there is kept under a new
   * name, said on the console), writes its first line, and listens for the ranks' steps.
   */
  public static RunMonitor start(SparkContext spark, RunFacts facts, Map<String, String> config,
      Console console, Settings settings) {
    MetricsLog log = settings.metricsUri().isEmpty() ? null : MetricsLog.create("output.metrics",
        settings.metricsUri(), spark.hadoopConfiguration(), () -> console.out().println(
            "spark-zero: output.metrics: an earlier file at " + settings.metricsUri()
                + " was kept under a numbered name (" + settings.metricsUri() + ".N)"));
    RunMonitor monitor = new RunMonitor(spark, facts, console, settings, log);
    monitor.call(() -> monitor.write(MetricsLines.run(facts, config), true));
    spark.addSparkListener(monitor.listener);
    if (!monitor.source.register()) {
      console.out().println("spark-zero: no Spark metrics system here: metrics go to the file only");
    }
    return monitor;
  }

  /**
   * A new stage attempt whose first step is global step {@code firstGlobalStep} (zero-based): its
   * ranks publish their steps through the returned accumulator, registered with Spark here.
   * Steps of earlier attempts still in flight are ignored from now on.
   */
  public LiveSteps attempt(long firstGlobalStep) {
    LiveSteps steps = new LiveSteps();
    // Counting failed tasks' values too: the steps before a failure (a run that diverged) are the
    // ones worth reading. SparkContext.register offers no such flag; this is what it calls.
    steps.register(spark, scala.Option.apply("spark-zero steps"), true);
    call(() -> stream.begin(steps.id(), firstGlobalStep));
    return steps;
  }

  /** The attempt's stage ended: takes the steps its tasks returned that no heartbeat carried. */
  public void stageEnded(LiveSteps steps) {
    call(() -> {
      onSteps(steps.id(), steps.value());
      progress.clear();
    });
  }

  /** An epoch's stage succeeded. */
  public void epoch(EpochSummary summary) {
    call(() -> {
      long now = System.currentTimeMillis();
      epochWallMsSum += now - lastEpochEndMs;
      lastEpochEndMs = now;
      epochsDone++;
      source.epoch(summary.trainSamplesPerSecond());
      write(MetricsLines.epoch(summary, facts.plan().persistentBytes()), true);
    });
  }

  /** An evaluation after epoch {@code epoch} (zero-based). */
  public void evaluated(int epoch, Evaluator.Result result) {
    call(() -> {
      if (!result.reconstructs()) { // a reconstruct job has a loss, no accuracy
        lastAccuracy = result.accuracy();
        source.evaluated(result.accuracy());
      }
      write(MetricsLines.eval(epoch, result), true);
    });
  }

  /** Rewrites the training report with everything so far (after each epoch and its evaluation). */
  public void publishReport() {
    call(() -> report.render(out, false));
  }

  /** A failed epoch relaunched from global step {@code fromStep}. */
  public void recovered(int epoch, long fromStep, double secondsToResume, String reason) {
    call(() -> {
      source.recovered();
      write(MetricsLines.recovery(epoch, fromStep, secondsToResume, reason), true);
    });
  }

  /** The run ended: {@code error} is its one-line failure, or null. Writes the report. */
  public void finish(String error) {
    call(() -> {
      progress.clear();
      write(MetricsLines.end(error, epochsDone, lastAccuracy,
          (System.currentTimeMillis() - startMs) / 1e3), true);
      logged(MetricsLog::close);
      log = null;
      report.render(out, true);
    });
  }

  /** Stops listening and leaves Spark's metrics system; {@link #finish} first. */
  @Override
  public void close() {
    spark.removeSparkListener(listener);
    source.unregister();
    thread.shutdown();
    try {
      thread.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void onSteps(long accumulator, RecentSteps window) {
    List<StepMetrics> fresh = stream.accept(accumulator, window);
    if (fresh.isEmpty()) {
      return;
    }
    for (StepMetrics m : fresh) {
      source.step(m);
      write(MetricsLines.step(m), false);
    }
    flush();
    StepMetrics newest = fresh.get(fresh.size() - 1);
    progress.step(newest, facts.epochs(), Eta.of(stream.first(), newest,
        facts.epochs() - newest.epoch() - 1, epochsDone == 0 ? -1 : epochWallMsSum / epochsDone));
  }

  /** Writes a line to the metrics file and keeps it for the report. */
  private void write(ObjectNode line, boolean flush) {
    report.keep(line);
    logged(log -> {
      log.write(line);
      if (flush) {
        log.flush();
      }
    });
  }

  private void flush() {
    logged(MetricsLog::flush);
  }

  /** Runs {@code action} on the metrics file; one that fails is reported once and dropped. */
  private void logged(java.util.function.Consumer<MetricsLog> action) {
    if (log == null) {
      return;
    }
    try {
      action.accept(log);
    } catch (RuntimeException e) {
      out.println("spark-zero: warning: " + e.getMessage() + (e.getCause() == null ? ""
          : ": " + e.getCause().getMessage()) + "; no more metrics are written to it");
      log = null;
    }
  }

  /**
   * Runs {@code event} on the monitor thread and waits for it. Reporting never stops training: a
   * failure here is a warning.
   */
  private void call(Runnable event) {
    Future<?> done = thread.submit(event);
    try {
      done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      out.println("spark-zero: warning: progress reporting failed: " + e.getCause());
    }
  }
}
