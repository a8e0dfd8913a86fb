package io.sparkzero.driver.progress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkzero.driver.options.JobConfig;
import io.sparkzero.driver.train.SparkSessions;
import io.sparkzero.driver.train.TrainingJob;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Metrics while a job runs, on embedded Spark local[2]: rank 0's steps reach the driver through
 * executor heartbeats before the stage ends, the metrics file gets every step, epoch and
 * evaluation, Spark's metrics system (its JMX sink here) shows the figures, plain progress lines
 * are printed, and Spark's jobs are named for what they run.
 */
class LiveMetricsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int STEPS = 96; // per epoch: 6144 examples, 2 ranks x 32

  @TempDir
  Path dir;

  private Map<String, Object> job(Path metrics) {
    Map<String, Object> job = new LinkedHashMap<>();
    job.put("model", "mlp");
    job.put("data.train", "synthetic:n=6144,features=784,classes=10,seed=5");
    job.put("data.test", "synthetic:n=512,features=784,classes=10,seed=5,start=6144");
    job.put("eval.every-epoch", true);
    job.put("train.world-size", 2);
    job.put("train.batch-size", 32);
    job.put("train.epochs", 2);
    job.put("spark.master", "local[2]");
    job.put("collective.ipc-term-bytes", 4 << 20);
    job.put("output.metrics", metrics.toUri().toString());
    job.put("progress.interval-s", 1);
    job.put("spark-conf.spark.ui.enabled", "false");
    job.put("spark-conf.spark.executor.heartbeatInterval", "300ms");
    job.put("spark-conf.spark.metrics.conf.driver.sink.jmx.class",
        "org.apache.spark.metrics.sink.JmxSink");
    return job;
  }

  @Test
  void stepsArriveWhileTheStageRunsAndEveryFigureIsWritten() throws Exception {
    Path metrics = dir.resolve("metrics.jsonl");
    JobConfig config = JobConfig.of(job(metrics));
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    List<String> descriptions = new CopyOnWriteArrayList<>();
    Watcher watcher = new Watcher(metrics);
    try (SparkSession spark = SparkSessions.create(config)) {
      spark.sparkContext().addSparkListener(new SparkListener() {
        @Override
        public void onJobStart(SparkListenerJobStart start) {
          descriptions.add(String.valueOf(start.properties().getProperty("spark.job.description")));
        }
      });
      watcher.start();
      TrainingJob.checked(config, new PrintStream(console, true, StandardCharsets.UTF_8)).run(spark);
    } finally {
      watcher.interrupt();
      watcher.join();
    }

    assertThat(watcher.failure).as("the watcher's failure").isNull();
    // Live: the file had step lines, and the JMX gauge a step, before epoch 1's line was written.
    assertThat(watcher.stepsBeforeFirstEpoch).as("step lines seen before epoch 1 ended").isPositive();
    assertThat(watcher.jmxGlobalStep).as("JMX gauge global_step while training").isPositive();

    List<JsonNode> lines = new ArrayList<>();
    for (String l : Files.readAllLines(metrics)) {
      lines.add(JSON.readTree(l));
    }
    assertThat(lines.get(0).get("kind").asText()).isEqualTo("run");
    assertThat(lines.get(0).get("steps_per_epoch").asInt()).isEqualTo(STEPS);
    assertThat(lines.get(0).get("config").get("train.batch-size").asText()).isEqualTo("32");
    List<JsonNode> steps = lines.stream().filter(l -> l.get("kind").asText().equals("step")).toList();
    assertThat(steps).extracting(l -> l.get("global_step").asLong())
        .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 2 * STEPS).boxed().toList());
    assertThat(steps).allSatisfy(s -> {
      assertThat(s.get("loss").asDouble()).isPositive();
      assertThat(s.get("lr").asDouble()).isPositive();
      assertThat(s.get("samples_per_s").asDouble()).isPositive();
      assertThat(s.get("compute_ms").asDouble()).isPositive();
      assertThat(s.has("comm_ms") && s.has("optimizer_ms") && s.has("grad_norm")).isTrue();
    });
    assertThat(kinds(lines)).containsSubsequence("run", "step", "epoch", "eval", "step", "epoch",
        "eval", "end");
    JsonNode epoch = lines.stream().filter(l -> l.get("kind").asText().equals("epoch")).findFirst()
        .orElseThrow();
    assertThat(epoch.get("ranks")).hasSize(2);
    assertThat(epoch.get("ranks").get(1).get("state_bytes").asLong()).isPositive();
    assertThat(epoch.get("ranks").get(1).get("planned_bytes").asLong()).isPositive();
    JsonNode end = lines.get(lines.size() - 1);
    assertThat(end.get("status").asText()).isEqualTo("ok");
    assertThat(end.get("epochs_done").asInt()).isEqualTo(2);

    String out = console.toString(StandardCharsets.UTF_8);
    assertThat(out).containsPattern("spark-zero: epoch 1/2 step \\d+/96 \\(\\d+%\\): loss [0-9.]+,"
        + " [0-9,]+ samples/s, lr [0-9.e-]+; ETA epoch \\d+:\\d\\d, job \\d+:\\d\\d");
    assertThat(descriptions).contains("loading the training data", "epoch 1/2: training",
        "epoch 1/2: evaluation", "epoch 2/2: training", "epoch 2/2: evaluation");
  }

  private static List<String> kinds(List<JsonNode> lines) {
    return lines.stream().map(l -> l.get("kind").asText()).toList();
  }

  /** Reads the metrics file and the JMX gauge while the job runs. */
  private static final class Watcher extends Thread {
    private final Path metrics;
    volatile int stepsBeforeFirstEpoch;
    volatile double jmxGlobalStep;
    volatile Exception failure;

    Watcher(Path metrics) {
      this.metrics = metrics;
      setDaemon(true);
    }

    @Override
    public void run() {
      MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
      try {
        while (!isInterrupted()) {
          Thread.sleep(50);
          List<String> lines = Files.exists(metrics) ? Files.readAllLines(metrics) : List.of();
          if (lines.stream().anyMatch(l -> l.contains("\"kind\":\"epoch\""))) {
            return;
          }
          stepsBeforeFirstEpoch = (int) lines.stream()
              .filter(l -> l.contains("\"kind\":\"step\"")).count();
          Set<ObjectName> names = jmx.queryNames(
              new ObjectName("metrics:name=*.driver.spark-zero.global_step,*"), null);
          for (ObjectName name : names) {
            Object value = jmx.getAttribute(name, "Value");
            if (value instanceof Double d && d > 0) {
              jmxGlobalStep = d;
            }
          }
        }
      } catch (InterruptedException e) {
        // the job ended
      } catch (IOException | javax.management.JMException | RuntimeException e) {
        failure = e;
      }
    }
  }
}
