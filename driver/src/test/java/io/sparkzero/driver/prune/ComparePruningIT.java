package io.sparkzero.driver.prune;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkzero.driver.cli.SparkZeroCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spark-zero compare-pruning} in-process on local[2], synthetic data: every arm, fraction
 * and seed trains (and the full data per seed), the results file holds each run's test accuracy
 * and kept count, and the scores' report draws them.
 */
class ComparePruningIT {
  private static final int N = 1024;

  @TempDir
  Path dir;

  @Test
  void everyArmFractionAndSeedTrainsAndTheReportDrawsTheirAccuracy() throws Exception {
    Path job = dir.resolve("job.yaml");
    Files.writeString(job, String.join("\n",
        "model: mlp",
        "spark.master: local[2]",
        "data.train: synthetic:n=" + N + ",features=784,classes=10,seed=11",
        "data.test: synthetic:n=256,features=784,classes=10,seed=11,start=" + N,
        "train: {world-size: 2, batch-size: 32, epochs: 1}",
        "optimizer: {name: adam, lr: 0.002}",
        "pruning: {k: 20, report-thumbnails: 2}",
        "spark-conf: {spark.ui.enabled: 'false'}", ""));
    Path out = dir.resolve("comparison");

    int exit = SparkZeroCli.execute("compare-pruning", job.toString(), "--output", out.toUri().toString(),
        "--arms", "ssp:hard,random", "--fractions", "0.5", "--seeds", "1,2");

    assertThat(exit).isZero();
    JsonNode results = new ObjectMapper().readTree(out.resolve("experiment.json").toFile());
    assertThat(results.path("model").asText()).isEqualTo("mlp");
    List<String> runs = new ArrayList<>();
    for (JsonNode run : results.path("runs")) {
      runs.add(run.path("metric").asText() + "/" + run.path("keep").asText() + "/" + run.path("fraction").asDouble()
          + "/" + run.path("seed").asLong());
      assertThat(run.path("test_accuracy").asDouble()).isBetween(0.0, 1.0);
      assertThat(run.path("kept_examples").asLong()).isEqualTo(run.path("metric").asText().equals("none") ? N : N / 2);
    }
    assertThat(runs).containsExactly("none/all/1.0/1", "ssp/hard/0.5/1", "random/hard/0.5/1",
        "none/all/1.0/2", "ssp/hard/0.5/2", "random/hard/0.5/2");
    // The synthetic classes are easy: all runs learn them, so the accuracies are far above chance.
    for (JsonNode run : results.path("runs")) {
      assertThat(run.path("test_accuracy").asDouble()).isGreaterThan(0.5);
    }
    Path scores = out.resolve("scores");
    assertThat(scores.resolve("scores.parquet")).isDirectory();
    String html = Files.readString(scores.resolve("report.html"));
    assertThat(html).contains("data-chart=\"accuracy-vs-fraction\"");
  }
}
