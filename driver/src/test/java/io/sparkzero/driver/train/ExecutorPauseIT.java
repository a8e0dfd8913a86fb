package io.sparkzero.driver.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rank paused mid-training for 15 s (SIGSTOP, then SIGCONT, to each executor JVM of {@code
 * local-cluster[2,1,2048]} in turn) under {@code collective.timeout-ms} 60 s: training goes on, with
 * no failed stage. One of the two executors runs the host's media driver, so the pauses stop the
 * driver under the other rank's client and stop a client under the driver; Aeron's liveness and
 * driver timeouts (10 s by default) are derived from the collective timeout, which is the one
 * that fires.
 */
class ExecutorPauseIT {
  private static final long PAUSE_MS = 15_000;

  @TempDir Path dir;

  @BeforeAll
  static void sparkHomeIsReady() throws Exception {
    TrainingJobLocalClusterIT.sparkHomeIsReady();
  }

  @Test
  void aRankPausedFor15sUnderA60sTimeoutTrainsOn() throws Exception {
    Map<String, Object> job = ExecutorLossRecoveryIT.twoEpochClusterJob();
    job.put("train.max-restarts", 0);
    job.put("collective.timeout-ms", 60_000);
    Path metrics = dir.resolve("metrics.jsonl");
    job.put("output.metrics", metrics.toString());

    List<Long> paused = new ArrayList<>();
    Thread pauser = new Thread(() -> pauseEachExecutor(metrics, paused), "test-pauser");
    pauser.setDaemon(true);
    pauser.start();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    TrainingReport report = Jobs.run(job, log);
    pauser.join(PAUSE_MS);

    assertThat(paused).as("executor JVMs paused mid-training").hasSize(2).doesNotHaveDuplicates();
    assertThat(report.epochs()).hasSize(2);
    assertThat(log.toString()).doesNotContain("restart").doesNotContain("failed");
    // Each pause shows as one long step: the pauses hit training, not the gaps around it.
    long longSteps = Files.readAllLines(metrics).stream().filter(l -> l.contains("\"kind\":\"step\""))
        .mapToDouble(l -> Double.parseDouble(l.replaceAll(".*\"step_ms\":([0-9.]+)[,}].*", "$1")))
        .filter(ms -> ms >= PAUSE_MS - 1_000).count();
    assertThat(longSteps).as("steps that spanned a pause").isPositive();
  }

  /** Once steps are logged, stops each executor JVM for {@link #PAUSE_MS} in turn. */
  private static void pauseEachExecutor(Path metrics, List<Long> paused) {
    try {
      List<ProcessHandle> executors = List.of();
      while (executors.size() < 2 || !stepsLogged(metrics, paused.size() * 20 + 5)) {
        Thread.sleep(50);
        executors = ProcessHandle.current().descendants()
            .filter(p -> p.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend")).toList();
      }
      for (ProcessHandle executor : executors) {
        while (!stepsLogged(metrics, paused.size() * 20 + 5)) {
          Thread.sleep(50);
        }
        signal("STOP", executor.pid());
        Thread.sleep(PAUSE_MS);
        signal("CONT", executor.pid());
        paused.add(executor.pid());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static boolean stepsLogged(Path metrics, int steps) {
    try {
      return Files.exists(metrics)
          && Files.readAllLines(metrics).stream().filter(l -> l.contains("\"kind\":\"step\"")).count() >= steps;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static void signal(String name, long pid) throws java.io.IOException, InterruptedException {
    int rc = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start().waitFor();
    assertThat(rc).as("kill -%s %d", name, pid).isZero();
  }
}
