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
import java.util.stream.Stream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The encoder workflow end to end, in-process on local[2]: {@code train} pretrains {@code
 * fmnist-encoder} with {@code train.objective=reconstruct} (checkpoints on, the model written),
 * then {@code prune} clusters that model's {@code embedding} layer and checks its k-NN accuracy on
 * {@code data.test} against pixels.
 */
class EncoderPruneIT {
  private static final String TRAIN_DATA = "synthetic:n=4000,features=784,classes=10,seed=11";
  private static final String TEST_DATA = "synthetic:n=300,features=784,classes=10,seed=12";

  @TempDir
  Path dir;

  private Path jobFile() throws Exception {
    Path job = dir.resolve("job.yaml");
    Files.writeString(job, String.join("\n",
        "model: fmnist-encoder",
        "spark.master: local[2]",
        "data: {train: '" + TRAIN_DATA + "', test: '" + TEST_DATA + "', limit: 2000}",
        "train: {world-size: 2, batch-size: 64, epochs: 1, objective: reconstruct}",
        "spark-conf: {spark.ui.enabled: 'false'}", ""));
    return job;
  }

  @Test
  void aReconstructPretrainedEncodersEmbeddingIsPrunedAndKnnChecked() throws Exception {
    Path model = dir.resolve("encoder.zip");
    Path checkpoints = dir.resolve("checkpoints");
    String trained = stdout("train", jobFile().toString(), "--set", "output.model=" + model.toUri(),
        "--set", "checkpoint.path=" + checkpoints.toUri());
    assertThat(trained).contains("test reconstruction loss").doesNotContain("test accuracy")
        .contains("\"test_reconstruction_loss\"");
    MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(model.toFile(), false);
    assertThat(net.getLayerWiseConfigurations().getConf(4).getLayer().getLayerName()).isEqualTo("embedding");
    try (Stream<Path> files = Files.walk(checkpoints)) {
      assertThat(files.map(p -> p.getFileName().toString())).as("a committed checkpoint")
          .anyMatch(name -> name.contains("manifest"));
    }

    Path out = dir.resolve("pruning");
    String pruned = stdout("prune", jobFile().toString(), "--set", "pruning.output=" + out.toUri(),
        "--set", "pruning.embedding=model:" + model.toUri() + "#embedding", "--set", "pruning.fraction=0.5",
        "--set", "pruning.k=20", "--set", "pruning.knn-check=true");
    assertThat(pruned).contains("embedding k-NN accuracy (cosine, k=20) on 300 test examples:", "(pixels)");
    JsonNode knn = new ObjectMapper().readTree(out.resolve("summary.json").toFile()).path("knn_check");
    assertThat(knn.path("k").asInt()).isEqualTo(20);
    assertThat(knn.path("test_examples").asLong()).isEqualTo(300);
    assertThat(knn.path("embedding").asText()).endsWith("encoder.zip#embedding");
    for (String field : List.of("embedding_accuracy", "pixels_accuracy")) {
      assertThat(knn.path(field).isNumber()).as(field).isTrue();
      assertThat(knn.path(field).asDouble()).as(field).isBetween(0.0, 1.0);
    }
    assertThat(knn.path("seconds").asDouble()).isPositive();
    assertThat(Files.readString(out.resolve("report.html"))).contains("k-NN check");
  }

  @Test
  void theEncoderWithObjectiveClassifyExitsTwoNamingBothSizes() throws Exception {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int exit;
    try {
      System.setErr(new PrintStream(captured, true));
      exit = SparkZeroCli.execute("train", jobFile().toString(), "--set", "train.objective=classify");
    } finally {
      System.setErr(err);
    }
    assertThat(exit).isEqualTo(2);
    List<String> lines = captured.toString().lines().filter(l -> l.startsWith("spark-zero: error:")).toList();
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0)).contains("train.objective", "784 outputs", "10 classes");
  }

  /** Runs a command that must succeed and returns what it printed. */
  private static String stdout(String... args) {
    PrintStream out = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int exit;
    try {
      System.setOut(new PrintStream(captured, true));
      exit = SparkZeroCli.execute(args);
    } finally {
      System.setOut(out);
    }
    String printed = captured.toString();
    assertThat(exit).as(printed).isZero();
    return printed;
  }
}
