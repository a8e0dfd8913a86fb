package io.sparkzero.driver.progress;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkzero.driver.report.TrainingReportPage;
import io.sparkzero.worker.train.StepMetrics;
import io.sparkzero.worker.train.StepTimes;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What live progress and metrics cost, part by part, in CPU nanoseconds: the work on the training
 * thread per step (the step's record and the accumulator's add), the driver's work per step (its
 * metrics line, serialized and written to a local file, flushed every 8 lines), one heartbeat's
 * Java serialization of a full window of steps (what an executor JVM pays every heartbeat on a
 * cluster), and one rendering of the training report (once per epoch). Medians of 5 rounds;
 * each round repeats an operation until it has run for at least 0.5 s.
 *
 * <p>A benchmark main in the test tree (it needs the driver's classes, which the bench module
 * does not depend on). Usage: {@code ProgressCostBench STEPS_PER_EPOCH} (the report is rendered from one epoch of step
 * lines).
 */
public final class ProgressCostBench {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ProgressCostBench() {}

  public static void main(String[] argv) throws Exception {
    int stepsPerEpoch = argv.length > 0 ? Integer.parseInt(argv[0]) : 235;
    LiveSteps live = new LiveSteps();
    long[] counter = {0};
    double onTrainingThread = median(() -> {
      long g = counter[0]++;
      live.add(step(g));
    });
    Path file = Files.createTempFile("progress-cost", ".jsonl");
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
      double metricsLine = median(() -> {
        long g = counter[0]++;
        try {
          out.write(JSON.writeValueAsBytes(MetricsLines.step(step(g))));
          out.write('\n');
          if (g % 8 == 0) {
            out.flush();
          }
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      double heartbeat = median(() -> serialize(live.value()));
      List<ObjectNode> epoch = new ArrayList<>();
      for (int s = 0; s < stepsPerEpoch; s++) {
        epoch.add(MetricsLines.step(step(s)));
      }
      double report = median(() -> TrainingReportPage.render(epoch));
      System.out.println("{\"training_thread_ns_per_step\": " + fmt(onTrainingThread)
          + ", \"driver_metrics_line_ns_per_step\": " + fmt(metricsLine)
          + ", \"heartbeat_serialization_ns\": " + fmt(heartbeat)
          + ", \"report_render_ns_per_epoch\": " + fmt(report)
          + ", \"steps_in_report\": " + stepsPerEpoch + "}");
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** A step as EpochRunner reports it (figures do not change the cost). */
  private static StepMetrics step(long global) {
    return new StepMetrics(0, (int) (global % 1000), 1000, global, 0.4 + global * 1e-6, 1e-3, 1.5,
        256, 250_000_000L, new StepTimes(200_000_000L, 1_000_000, 30_000_000, 10_000_000, 9_000_000),
        false, 1f, 300L << 20, System.currentTimeMillis());
  }

  private static int serialize(Object value) {
    try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
      out.flush();
      return bytes.size();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Median over 5 rounds of the nanoseconds one call takes; each round runs >= 0.5 s. */
  private static double median(Runnable op) {
    for (long end = System.nanoTime() + 1_000_000_000L; System.nanoTime() < end; ) {
      op.run(); // warm-up: 1 s
    }
    double[] rounds = new double[5];
    for (int r = 0; r < rounds.length; r++) {
      long calls = 0;
      long start = System.nanoTime();
      long now;
      do {
        op.run();
        calls++;
        now = System.nanoTime();
      } while (now - start < 500_000_000L);
      rounds[r] = (double) (now - start) / calls;
    }
    java.util.Arrays.sort(rounds);
    return rounds[rounds.length / 2];
  }

  private static String fmt(double ns) {
    return String.format(java.util.Locale.ROOT, "%.0f", ns);
  }
}
