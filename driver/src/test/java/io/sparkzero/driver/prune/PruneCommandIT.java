package io.sparkzero.driver.prune;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkzero.driver.cli.SparkZeroCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code spark-zero prune} in-process on local[2], synthetic data: exit codes and the three files. */
class PruneCommandIT {
  private static final int N = 2048;

  @TempDir
  Path dir;

  private Path jobFile() throws Exception {
    Path job = dir.resolve("job.yaml");
    Files.writeString(job, String.join("\n",
        "model: mlp",
        "spark.master: local[2]",
        "data.train: synthetic:n=" + N + ",features=784,classes=10,seed=11",
        "train: {world-size: 2, batch-size: 32}",
        "spark-conf: {spark.ui.enabled: 'false'}", ""));
    return job;
  }

  @Test
  void sspOnPixelsKeepsTheHardHalfWithClassFloorsAndWritesTheThreeFiles() throws Exception {
    Path out = dir.resolve("ssp");
    int exit = SparkZeroCli.execute("prune", jobFile().toString(), "--set", "pruning.output=" + out.toUri(),
        "--set", "pruning.fraction=0.5", "--set", "pruning.keep=hard");
    assertThat(exit).isZero();

    List<Row> rows = readScores(out);
    assertThat(rows).hasSize(N);
    assertThat(rows.stream().filter(r -> r.getBoolean(4)).count()).isEqualTo(Math.round(0.5 * N));
    assertThat(rows).allSatisfy(r -> assertThat(r.isNullAt(3)).isFalse());

    JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertThat(summary.path("metric").asText()).isEqualTo("ssp");
    assertThat(summary.path("policy").asText()).isEqualTo("hard");
    assertThat(summary.path("examples").asLong()).isEqualTo(N);
    assertThat(summary.path("kept").asLong()).isEqualTo(N / 2);
    assertThat(summary.path("ssp").path("k").asInt()).isEqualTo(100);
    // Each scoring phase is timed, in the order run: the forward pass, then ssp's k-means.
    assertThat(summary.path("scoring_seconds").fieldNames()).toIterable().containsExactly("embedding", "ssp");
    assertThat(summary.path("scoring_seconds").path("ssp").asDouble()).isPositive();
    Map<Integer, Long> perClass = rows.stream().collect(Collectors.groupingBy(r -> r.getInt(1), Collectors.counting()));
    long examples = 0;
    for (JsonNode c : summary.path("classes")) {
      long nC = c.path("examples").asLong();
      assertThat(nC).isEqualTo(perClass.get(c.path("label").asInt()));
      assertThat(c.path("kept").asLong()).as("class %s keeps its floor", c.path("label"))
          .isGreaterThanOrEqualTo((long) Math.ceil(0.5 * Math.round(0.5 * nC)));
      examples += nC;
    }
    assertThat(examples).isEqualTo(N);

    String html = Files.readString(out.resolve("report.html"));
    assertThat(html).contains("data-chart=\"score-histogram\"", "data-chart=\"kept-fraction\"",
        "data-chart=\"cluster-mix\"", "No experiment has run");
    // pruning.also-score defaults to random: ssp's ranking is set against it.
    assertThat(html).contains("Spearman rank correlation").doesNotContain("Rank correlations need two or more");
    // 10 classes x (easiest, hardest, most ambiguous) x 8, fetched by id from the executors.
    assertThat(images(html)).isEqualTo(10 * 3 * 8);
    assertThat(html).contains(": most ambiguous (smallest margin)");
  }

  @Test
  void theRandomMetricWritesScoresWithoutClustersAndDrawsTheExperiment() throws Exception {
    Path out = dir.resolve("random");
    Path results = dir.resolve("results.json");
    Files.writeString(results, """
        {"model": "mlp", "epochs": 1, "data": "synthetic", "runs": [
          {"metric": "random", "keep": "hard", "fraction": 0.25, "seed": 1, "test_accuracy": 0.5,
           "kept_examples": 512, "train_seconds": 1},
          {"metric": "none", "keep": "all", "fraction": 1.0, "seed": 1, "test_accuracy": 0.6,
           "kept_examples": 2048, "train_seconds": 4}]}
        """);
    int exit = SparkZeroCli.execute("prune", jobFile().toString(), "--set", "pruning.output=" + out.toUri(),
        "--set", "pruning.metric=random", "--set", "pruning.fraction=0.25",
        "--set", "pruning.experiment=" + results.toUri());
    assertThat(exit).isZero();
    List<Row> rows = readScores(out);
    assertThat(rows).hasSize(N).allSatisfy(r -> assertThat(r.isNullAt(3)).isTrue());
    assertThat(rows.stream().filter(r -> r.getBoolean(4)).count()).isEqualTo(N / 4);
    JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertThat(summary.path("metric").asText()).isEqualTo("random");
    assertThat(summary.has("ssp")).isFalse();
    String html = Files.readString(out.resolve("report.html"));
    assertThat(html).contains("data-chart=\"score-histogram\"", "random has no ambiguity measure",
        "data-chart=\"accuracy-vs-fraction\"").doesNotContain("data-chart=\"cluster-mix\"");
    assertThat(images(html)).isEqualTo(10 * 2 * 8);
  }

  @Test
  void aMalformedExperimentFileExitsTwoNamingItBeforeScoring() throws Exception {
    Path results = dir.resolve("bad.json");
    Files.writeString(results, """
        {"model": "mlp", "epochs": 1, "data": "d", "runs": [{"metric": "ssp"}]}
        """);
    String err = failing("prune", jobFile().toString(), "--set", "pruning.output=" + dir.toUri(),
        "--set", "pruning.fraction=0.5", "--set", "pruning.experiment=" + results.toUri());
    assertThat(err).contains("pruning.experiment", results.toUri().toString(), "runs[0].keep is missing");
  }

  @Test
  void sspOnAModelLayerScoresItsActivations() throws Exception {
    Path model = TinyModels.write(dir.resolve("model.zip"), 784);
    Path out = dir.resolve("model-ssp");
    int exit = SparkZeroCli.execute("prune", jobFile().toString(), "--set", "pruning.output=" + out.toUri(),
        "--set", "pruning.embedding=model:" + model.toUri() + "#hidden", "--set", "pruning.fraction=0.5",
        "--set", "pruning.k=20", "--set", "pruning.report-thumbnails=0");
    assertThat(exit).isZero();
    assertThat(images(Files.readString(out.resolve("report.html")))).isZero();
    JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertThat(summary.path("embedding").asText()).endsWith("#hidden");
    assertThat(summary.path("ssp").path("k").asInt()).isEqualTo(20);
    assertThat(summary.path("kept").asLong()).isEqualTo(N / 2);
  }

  @Test
  void aModelLayerThatDoesNotExistExitsTwoBeforeScoring() throws Exception {
    Path model = TinyModels.write(dir.resolve("model.zip"), 784);
    String err = failing("prune", jobFile().toString(), "--set", "pruning.output=" + dir.toUri(),
        "--set", "pruning.embedding=model:" + model.toUri() + "#encoder", "--set", "pruning.fraction=0.5");
    assertThat(err).contains("pruning.embedding", "no layer 'encoder'");
  }

  @Test
  void moreClustersThanExamplesExitsTwo() throws Exception {
    String err = failing("prune", jobFile().toString(), "--set", "pruning.output=" + dir.toUri(),
        "--set", "pruning.k=5000", "--set", "pruning.fraction=0.5");
    assertThat(err).contains("pruning.k = 5000", "2048 examples");
  }

  @Test
  void aFractionAboveOneExitsTwoWithOneLine() throws Exception {
    String err = failing("prune", jobFile().toString(), "--set", "pruning.output=" + dir.toUri(),
        "--set", "pruning.fraction=1.5");
    assertThat(err).contains("pruning.fraction", "1.5");
  }

  @Test
  void aMissingOutputExitsTwoWithOneLine() throws Exception {
    String err = failing("prune", jobFile().toString(), "--set", "pruning.fraction=0.5");
    assertThat(err).contains("pruning.output");
  }

  private static long images(String html) {
    return html.split("<img src=\"data:image/png;base64,", -1).length - 1;
  }

  /** Runs a command that must fail as a configuration error, and returns its one error line. */
  private static String failing(String... args) {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int exit;
    try {
      System.setErr(new PrintStream(captured, true));
      exit = SparkZeroCli.execute(args);
    } finally {
      System.setErr(err);
    }
    assertThat(exit).isEqualTo(2);
    List<String> lines = captured.toString().lines().filter(l -> l.startsWith("spark-zero: error:")).toList();
    assertThat(lines).hasSize(1);
    return lines.get(0);
  }

  private static List<Row> readScores(Path out) {
    SparkSession spark = SparkSession.builder().master("local[1]").appName("read-scores")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
    try {
      return spark.read().parquet(out.resolve("scores.parquet").toString())
          .select("id", "label", "score", "cluster", "kept").collectAsList();
    } finally {
      spark.stop();
    }
  }
}
