package io.sparkzero.driver.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkzero.worker.train.EpochResult;
import java.io.ByteArrayOutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint written by an earlier version of spark-zero (commit 4bc956f, test resource {@code
 * checkpoints/written-by-4bc956f}, its README says how) stays readable: {@code spark-zero export}
 * turns it into a model file holding exactly the parameters that version wrote into its own model
 * file, and a job pointed at it resumes after its last step and trains on.
 */
class CheckpointCompatibilityIT {
  /** The old run's last step (end of epoch 1) and its loss in that epoch. */
  private static final long OLD_STEP = 32;
  private static final double OLD_EPOCH_LOSS = 0.47047;

  @TempDir Path dir;
  private Path old;

  @BeforeEach
  void copyTheOldCheckpoint() throws Exception {
    old = dir.resolve("written-by-4bc956f");
    Path source = resource("checkpoints/written-by-4bc956f");
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path target = old.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    }
  }

  @Test
  void exportOfTheOldCheckpointHoldsTheParametersTheOldRunWrote() throws Exception {
    Path exported = dir.resolve("exported.zip");
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    assertThat(Jobs.cli(stdout, "export", old.resolve("checkpoint").toUri().toString(),
        exported.toUri().toString())).isZero();
    assertThat(stdout.toString()).contains("global step " + OLD_STEP);

    float[] oldModel = params(old.resolve("model.zip"));
    assertThat(params(exported)).as("exported now against written then").containsExactly(oldModel);
  }

  @Test
  void aJobResumesFromTheOldCheckpointAndTrainsOn() throws Exception {
    Map<String, Object> job = TrainingJobLocalIT.smallJob();
    job.put("spark.master", "local[2]");
    job.put("zero.stage", 1);
    job.put("train.epochs", 2);
    job.put("checkpoint.path", old.resolve("checkpoint").toUri().toString());
    job.put("checkpoint.keep", 2);
    ByteArrayOutputStream log = new ByteArrayOutputStream();

    TrainingReport resumed = Jobs.run(job, log);

    assertThat(log.toString()).contains("resuming from checkpoint")
        .contains("global step " + OLD_STEP + ": epoch 2, step 0");
    assertThat(resumed.epochs()).as("only epoch 2 trains").hasSize(1);
    EpochSummary epoch2 = resumed.epochs().get(0);
    assertThat(epoch2.ranks()).extracting(EpochResult::paramHash).containsOnly(epoch2.paramHash());
    assertThat(epoch2.meanLoss()).as("epoch 2 goes on from where epoch 1 ended")
        .isLessThan(OLD_EPOCH_LOSS);
    assertThat(resumed.evaluation().accuracy()).isGreaterThan(0.8);
  }

  private static float[] params(Path modelFile) throws Exception {
    MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(modelFile.toFile(), false);
    return net.params().toFloatVector();
  }

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(CheckpointCompatibilityIT.class.getClassLoader().getResource(name).toURI());
  }
}
