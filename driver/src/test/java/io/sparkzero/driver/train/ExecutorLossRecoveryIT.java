package io.sparkzero.driver.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Automatic recovery on {@code local-cluster[2,1,2048]}: one executor JVM is killed with SIGKILL
 * in the middle of training, right after a checkpoint is committed; the barrier stage fails
 * (Spark does not retry it), the driver relaunches the epoch from the newest committed
 * checkpoint on the replacement executor, and the job ends with exactly the parameters of the
 * same job that was never interrupted.
 */
class ExecutorLossRecoveryIT {

  @TempDir Path dir;

  /** Whether the executor killed ran the host's media driver. */
  private static volatile boolean killedDriver;

  @BeforeAll
  static void sparkHomeIsReady() throws Exception {
    TrainingJobLocalClusterIT.sparkHomeIsReady();
  }

  /** Two epochs of 128 steps of wide-mlp:512 on local-cluster: long enough to stop it midway. */
  static Map<String, Object> twoEpochClusterJob() {
    Map<String, Object> job = TrainingJobLocalClusterIT.clusterJob();
    job.put("model", "wide-mlp:512");
    job.put("data.train", "synthetic:n=4096,features=784,classes=10,seed=5");
    job.put("data.test", "");
    job.put("train.batch-size", 16);
    job.put("train.epochs", 2);
    return job;
  }

  private Map<String, Object> job(String name, Path checkpoints) {
    Map<String, Object> job = twoEpochClusterJob();
    job.put("zero.stage", 2);
    job.put("collective.timeout-ms", 20_000);
    job.put("spark-conf.spark.scheduler.barrier.maxConcurrentTasksCheck.interval", "1s");
    job.put("output.model", dir.resolve(name + ".zip").toUri().toString());
    if (checkpoints != null) {
      job.put("checkpoint.path", checkpoints.toUri().toString());
      job.put("checkpoint.every-steps", 16);
    }
    return job;
  }


  @Test
  void killingAnExecutorMidEpochRecoversToTheUninterruptedParameters() throws Exception {
    float[] expected = Jobs.run(job("straight", null), new ByteArrayOutputStream()).finalParams();

    Path checkpoints = dir.resolve("ckpt");
    AtomicLong killed = new AtomicLong(-1);
    killedDriver = false;
    Thread killer = new Thread(() -> killAfterFirstCommit(checkpoints, killed), "test-killer");
    killer.setDaemon(true);
    killer.start();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    Map<String, Object> recoveredJob = job("recovered", checkpoints);
    Path metrics = dir.resolve("recovered-metrics.jsonl");
    recoveredJob.put("output.metrics", metrics.toString());
    TrainingReport recovered = Jobs.run(recoveredJob, log);
    killer.interrupt();

    assertThat(killed.get()).as("an executor JVM was killed").isPositive()
        .isNotEqualTo(ProcessHandle.current().pid());
    assertThat(killedDriver).as("the executor killed ran the media driver").isTrue();
    assertThat(log.toString()).contains("failed").contains("restart 1 of 3 from")
        .contains("resumed training").doesNotContain("restart 2 of 3");
    assertThat(recovered.finalParams()).as("recovered = uninterrupted, bit for bit")
        .containsExactly(expected);

    // The metrics file records the recovery, and every step from the one restored on. Steps the
    // killed executor trained after its last heartbeat, before that checkpoint, died with it.
    List<String> lines = Files.readAllLines(metrics);
    assertThat(lines).filteredOn(l -> l.contains("\"kind\":\"recovery\"")).singleElement()
        .asString().contains("\"epoch\":1,", "\"from_step\":16,", "\"reason\":\"");
    long total = 2 * Long.parseLong(field(lines.get(0), "steps_per_epoch"));
    java.util.Set<Long> steps = lines.stream().filter(l -> l.contains("\"kind\":\"step\""))
        .map(l -> Long.parseLong(field(l, "global_step"))).collect(java.util.stream.Collectors.toSet());
    assertThat(steps).containsAll(java.util.stream.LongStream.rangeClosed(17, total).boxed().toList())
        .allSatisfy(g -> assertThat(g).isBetween(1L, total));
  }

  /** The number in {@code "name":N} of a metrics line. */
  private static String field(String line, String name) {
    return line.replaceAll(".*\"" + name + "\":(\\d+)[,}].*", "$1");
  }

  /**
   * Waits for the first committed manifest, then SIGKILLs one executor JVM of this test: the one
   * that runs the host's media driver (it holds the driver's lock file open), so the survivor's
   * Aeron client loses its driver too and the relaunch must not reuse it.
   */
  private static void killAfterFirstCommit(Path checkpoints, AtomicLong killed) {
    try {
      while (!committed(checkpoints)) {
        Thread.sleep(10);
      }
      List<ProcessHandle> executors = ProcessHandle.current().descendants()
          .filter(p -> p.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
          .toList();
      Optional<ProcessHandle> executor = executors.stream()
          .filter(ExecutorLossRecoveryIT::holdsADriverLock).findFirst()
          .or(() -> executors.stream().findFirst());
      executor.ifPresent(p -> {
        killedDriver = holdsADriverLock(p);
        killed.set(p.pid());
        p.destroyForcibly(); // SIGKILL
      });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Whether a process has a spark-zero media driver's lock file open (only its owner keeps it). */
  private static boolean holdsADriverLock(ProcessHandle p) {
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(p.pid()), "fd"))) {
      return fds.anyMatch(fd -> {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          return target.contains("/spark-zero-") && target.endsWith(".lock");
        } catch (java.io.IOException | UnsupportedOperationException e) {
          return false;
        }
      });
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static boolean committed(Path checkpoints) {
    if (!Files.isDirectory(checkpoints)) {
      return false;
    }
    try (Stream<Path> steps = Files.list(checkpoints)) {
      return steps.anyMatch(s -> Files.exists(s.resolve("manifest.json")));
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
