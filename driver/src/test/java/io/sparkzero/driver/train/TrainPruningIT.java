package io.sparkzero.driver.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkzero.sharding.options.ConfigException;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pruning before epochs in train, on local[2]: an epoch trains only on the kept examples, the
 * kept set is stored with the checkpoints so that a resumed run trains on the same examples (and
 * ends with the straight run's parameters), a resume with other pruning options is refused, and
 * re-scoring with the model being trained chooses a new set between epochs, also on resume.
 */
class TrainPruningIT {
  private static final int N = 2048;

  @TempDir Path dir;
  private int runs;

  private Map<String, Object> job(int epochs, Path checkpoints) {
    Map<String, Object> job = TrainingJobLocalIT.smallJob();
    job.put("spark.master", "local[2]");
    job.put("data.test", "");
    job.put("train.epochs", epochs);
    job.put("output.model", dir.resolve("model-" + runs++ + ".zip").toUri().toString());
    job.put("pruning.fraction", 0.5);
    job.put("pruning.metric", "random");
    if (checkpoints != null) {
      job.put("checkpoint.path", checkpoints.toUri().toString());
      job.put("checkpoint.every-steps", 5);
    }
    return job;
  }

  /**
   * Half the examples have features at the float maximum (finite, so the data check lets them
   * through, but their activations overflow), and the scores file ranks them easiest: keeping the
   * hard half trains on finite loss, while the same job without pruning cannot.
   */
  @Test
  void anEpochTrainsOnlyOnTheKeptExamples() throws Exception {
    // (the unpruned control below must diverge, or the poison proves nothing)
    String data = dir.resolve("train.parquet").toUri().toString();
    String scores = dir.resolve("pruned").toUri().toString();
    writePoisonedDataAndScores(data, scores + "/scores.parquet");
    Map<String, Object> job = job(2, null);
    job.put("data.train", "parquet:" + data + ",classes=10");
    job.put("pruning.scores", scores);
    job.put("pruning.metric", "ssp");
    job.put("pruning.keep", "hard");
    job.put("pruning.class-floor", 0.0);
    ByteArrayOutputStream log = new ByteArrayOutputStream();

    TrainingReport pruned = Jobs.run(job, log);

    assertThat(log.toString()).contains("pruning before epoch 1: training on 1024 of 2048 examples (50.0%)",
        "scores read from " + scores);
    assertThat(pruned.epochs()).hasSize(2).allSatisfy(e -> {
      assertThat(e.ranks().get(0).meanLoss()).isFinite();
      assertThat(e.ranks().get(0).steps()).isEqualTo(1024 / (2 * 32));
    });
    for (float p : pruned.finalParams()) {
      assertThat(p).isFinite();
    }

    job.put("pruning.fraction", 1.0);
    job.put("output.model", "");
    // The engine stops a run whose gradients are not finite: the poisoned examples were used.
    assertThatThrownBy(() -> Jobs.run(job, new ByteArrayOutputStream()))
        .satisfies(e -> assertThat(StageRestarts.diverged(e)).as("diverged: %s", e).isTrue());
  }

  @Test
  void aResumedRunTrainsOnTheStoredKeptSetAndEndsWithTheStraightRunsParameters() throws Exception {
    float[] straight = Jobs.run(job(2, null), new ByteArrayOutputStream()).finalParams();
    Path checkpoints = dir.resolve("ckpt");
    Jobs.run(job(1, checkpoints), new ByteArrayOutputStream());
    Path kept = checkpoints.resolve("pruning/kept-epoch-000000.ids");
    assertThat(kept).exists();
    assertThat(keptIdCount(kept)).isEqualTo(N / 2);

    ByteArrayOutputStream log = new ByteArrayOutputStream();
    float[] resumed = Jobs.run(job(2, checkpoints), log).finalParams();

    assertThat(log.toString()).contains("pruning: resuming on the kept set chosen before epoch 1 (1024 of 2048")
        .doesNotContain("pruning before epoch");
    assertThat(resumed).containsExactly(straight);
  }

  @Test
  void aResumeWithOtherPruningOptionsOrWithoutPruningIsRefused() throws Exception {
    Path checkpoints = dir.resolve("ckpt");
    Jobs.run(job(1, checkpoints), new ByteArrayOutputStream());

    Map<String, Object> otherFraction = job(2, checkpoints);
    otherFraction.put("pruning.fraction", 0.6);
    assertThatThrownBy(() -> Jobs.run(otherFraction, new ByteArrayOutputStream()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("pruning.fraction is 0.6, but the checkpoint under")
        .hasMessageContaining("chosen with 0.5");
    Map<String, Object> unpruned = job(2, checkpoints);
    unpruned.put("pruning.fraction", 1.0);
    assertThatThrownBy(() -> Jobs.run(unpruned, new ByteArrayOutputStream()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("trained on a pruned set");
    Path fresh = dir.resolve("unpruned-ckpt");
    Map<String, Object> plain = job(1, fresh);
    plain.put("pruning.fraction", 1.0);
    Jobs.run(plain, new ByteArrayOutputStream());
    assertThatThrownBy(() -> Jobs.run(job(2, fresh), new ByteArrayOutputStream()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("is of a run that trained on all examples");
  }

  /**
   * ssp on the first layer of the model being trained, re-scored after every epoch: each epoch's
   * set is stored, and a run resumed at the epoch boundary re-scores from the checkpoint's
   * parameters to the same set, and ends where the straight run ends.
   */
  @Test
  void reScoringWithTheTrainingModelChoosesEachEpochsSetAlsoOnResume() throws Exception {
    Path straightCkpt = dir.resolve("straight");
    Map<String, Object> straightJob = rescoring(job(2, straightCkpt));
    ByteArrayOutputStream straightLog = new ByteArrayOutputStream();
    float[] straight = Jobs.run(straightJob, straightLog).finalParams();
    assertThat(straightLog.toString()).contains("pruning before epoch 1:", "pruning before epoch 2:",
        "metric ssp on training#0");
    Path resumedCkpt = dir.resolve("resumed");
    Jobs.run(rescoring(job(1, resumedCkpt)), new ByteArrayOutputStream());
    assertThat(resumedCkpt.resolve("pruning/kept-epoch-000001.ids")).doesNotExist();

    float[] resumed = Jobs.run(rescoring(job(2, resumedCkpt)), new ByteArrayOutputStream()).finalParams();

    byte[] second = Files.readAllBytes(straightCkpt.resolve("pruning/kept-epoch-000001.ids"));
    assertThat(Files.readAllBytes(resumedCkpt.resolve("pruning/kept-epoch-000001.ids"))).isEqualTo(second);
    assertThat(second).isNotEqualTo(Files.readAllBytes(straightCkpt.resolve("pruning/kept-epoch-000000.ids")));
    assertThat(resumed).containsExactly(straight);
  }

  private static Map<String, Object> rescoring(Map<String, Object> job) {
    job.put("pruning.metric", "ssp");
    job.put("pruning.embedding", "training#0");
    job.put("pruning.k", 20);
    job.put("pruning.rescore-every", 1);
    return job;
  }

  private static int keptIdCount(Path file) throws Exception {
    try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
      in.skipNBytes(8);
      in.skipNBytes(in.readInt());
      return in.readInt();
    }
  }

  /**
   * Ids 0..N-1, label id % 10; ids from N/2 have every feature at {@code Float.MAX_VALUE} and
   * score 0, the others score 1.
   */
  private static void writePoisonedDataAndScores(String dataUri, String scoresUri) {
    StructType dataSchema = new StructType().add("id", DataTypes.LongType).add("label", DataTypes.IntegerType)
        .add("features", DataTypes.createArrayType(DataTypes.FloatType));
    StructType scoreSchema = new StructType().add("id", DataTypes.LongType).add("label", DataTypes.IntegerType)
        .add("score_ssp", DataTypes.DoubleType);
    Random random = new Random(3);
    List<Row> examples = new ArrayList<>();
    List<Row> scores = new ArrayList<>();
    for (long id = 0; id < N; id++) {
      int label = (int) (id % 10);
      Float[] features = new Float[784];
      for (int f = 0; f < features.length; f++) {
        features[f] = id >= N / 2 ? Float.MAX_VALUE : (f % 10 == label ? 1f : 0f) + 0.1f * (float) random.nextGaussian();
      }
      examples.add(RowFactory.create(id, label, features));
      scores.add(RowFactory.create(id, label, id >= N / 2 ? 0.0 : 1.0));
    }
    SparkSession spark = SparkSession.builder().master("local[2]").appName("pruning-fixture")
        .config("spark.ui.enabled", "false").getOrCreate();
    try {
      spark.createDataFrame(examples, dataSchema).coalesce(2).write().parquet(dataUri);
      spark.createDataFrame(scores, scoreSchema).coalesce(1).write().parquet(scoresUri);
    } finally {
      spark.stop();
    }
  }
}
