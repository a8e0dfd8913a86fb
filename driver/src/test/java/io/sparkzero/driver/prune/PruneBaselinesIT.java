package io.sparkzero.driver.prune;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkzero.driver.cli.SparkZeroCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spark-zero prune} with the label-based baselines on 2,000 real Fashion-MNIST examples:
 * probe runs on the engine (mlp, two seeds of two epochs), every metric in one run, and the same
 * images pruned without labels.
 */
class PruneBaselinesIT {
  private static final String IMAGES = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz";
  private static final int N = 2000;
  private static final List<String> COLUMNS = List.of("score_el2n", "score_random",
      "score_supervised_prototypes", "score_forgetting");

  @TempDir
  Path dir;

  private Path jobFile(String data) throws Exception {
    Path job = dir.resolve("job.yaml");
    Files.writeString(job, String.join("\n",
        "model: mlp",
        "spark.master: local[2]",
        "data.train: " + data,
        "data.limit: " + N,
        "train: {world-size: 2, batch-size: 32}",
        "optimizer: {name: adam, lr: 0.001}",
        "spark-conf: {spark.ui.enabled: 'false'}", ""));
    return job;
  }

  @Test
  void el2nSelectsWhileRandomSupervisedPrototypesAndForgettingAreScoredAlongside() throws Exception {
    Path out = dir.resolve("el2n");
    int exit = SparkZeroCli.execute("prune", jobFile("idx:" + IMAGES).toString(),
        "--set", "pruning.output=" + out.toUri(), "--set", "pruning.metric=el2n",
        "--set", "pruning.also-score=random,supervised-prototypes,forgetting",
        "--set", "pruning.probe-epochs=2", "--set", "pruning.probe-seeds=2",
        "--set", "pruning.fraction=0.5", "--set", "pruning.keep=hard", "--set", "pruning.class-floor=0");
    assertThat(exit).isZero();

    List<Row> rows = read(out, "id", "label", "score", "score_el2n", "score_random", "score_supervised_prototypes",
        "score_forgetting", "kept");
    assertThat(rows).hasSize(N);
    for (int c = 3; c <= 6; c++) {
      int column = c;
      assertThat(rows).as(COLUMNS.get(c - 3)).allSatisfy(r -> assertThat(Double.isFinite(r.getDouble(column))).isTrue());
    }
    assertThat(rows).allSatisfy(r -> assertThat(r.getDouble(2)).isEqualTo(r.getDouble(3)));
    assertThat(rows).allSatisfy(r -> assertThat(r.getDouble(3)).isBetween(0.0, Math.sqrt(2)));
    // Two epochs: forgetting counts are 0, 1 or never learned (3), each averaged over two runs.
    assertThat(rows).allSatisfy(r -> assertThat(r.getDouble(6) * 2).isIn(0.0, 1.0, 2.0, 3.0, 4.0, 6.0));

    double[] el2n = rows.stream().mapToDouble(r -> r.getDouble(3)).toArray();
    double[] forgetting = rows.stream().mapToDouble(r -> r.getDouble(6)).toArray();
    assertThat(pearson(el2n, forgetting)).as("EL2N against forgetting").isGreaterThan(0.3);
    List<Row> byEl2n = rows.stream().sorted(Comparator.comparingDouble(r -> r.getDouble(3))).toList();
    double bottomDecileForgetting = byEl2n.subList(0, N / 10).stream().mapToDouble(r -> r.getDouble(6)).average().orElseThrow();
    double topDecileForgetting = byEl2n.subList(N - N / 10, N).stream().mapToDouble(r -> r.getDouble(6)).average().orElseThrow();
    assertThat(topDecileForgetting).as("forgetting of the highest-EL2N tenth").isGreaterThan(bottomDecileForgetting + 1);

    // Keep: hard with no class floor: the kept half is exactly the higher EL2N half.
    assertThat(rows.stream().filter(r -> r.getBoolean(7)).count()).isEqualTo(N / 2);
    double lowestKept = rows.stream().filter(r -> r.getBoolean(7)).mapToDouble(r -> r.getDouble(3)).min().orElseThrow();
    double highestDropped = rows.stream().filter(r -> !r.getBoolean(7)).mapToDouble(r -> r.getDouble(3)).max().orElseThrow();
    assertThat(lowestKept).isGreaterThanOrEqualTo(highestDropped);

    JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertThat(summary.path("metric").asText()).isEqualTo("el2n");
    assertThat(summary.path("metrics").toString())
        .isEqualTo("[\"el2n\",\"random\",\"supervised-prototypes\",\"forgetting\"]");
    assertThat(summary.path("probes").path("seeds").asInt()).isEqualTo(2);
    assertThat(summary.has("ssp")).isFalse();
    assertThat(summary.path("scoring_seconds").fieldNames()).toIterable()
        .containsExactly("embedding", "supervised-prototypes", "probe runs");
  }

  @Test
  void imagesWithoutLabelsArePrunedBySspAsOneGroup() throws Exception {
    Path out = dir.resolve("unlabelled");
    int exit = SparkZeroCli.execute("prune", jobFile("idx:" + IMAGES + ",labels=none").toString(),
        "--set", "pruning.output=" + out.toUri(), "--set", "pruning.k=20", "--set", "pruning.fraction=0.3");
    assertThat(exit).isZero();
    List<Row> rows = read(out, "label", "score_ssp", "score_random", "cluster", "kept");
    assertThat(rows).hasSize(N).allSatisfy(r -> assertThat(r.getInt(0)).isEqualTo(-1));
    assertThat(rows.stream().filter(r -> r.getBoolean(4)).count()).isEqualTo(Math.round(0.3 * N));
    JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertThat(summary.path("metrics").toString()).isEqualTo("[\"ssp\",\"random\"]");
    assertThat(summary.path("policy_reason").asText()).contains("unlabelled");
    assertThat(Files.readString(out.resolve("report.html"))).contains("unlabelled", "data-chart=\"kept-fraction\"");
  }

  private static double pearson(double[] x, double[] y) {
    double mx = Arrays.stream(x).average().orElseThrow();
    double my = Arrays.stream(y).average().orElseThrow();
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < x.length; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
      syy += (y[i] - my) * (y[i] - my);
    }
    return sxy / Math.sqrt(sxx * syy);
  }

  private static List<Row> read(Path out, String first, String... more) {
    SparkSession spark = SparkSession.builder().master("local[1]").appName("read-scores")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
    try {
      return spark.read().parquet(out.resolve("scores.parquet").toString()).select(first, more).collectAsList();
    } finally {
      spark.stop();
    }
  }
}
