package io.sparkzero.driver.train;

import io.sparkzero.checkpoint.Checkpoint;
import io.sparkzero.checkpoint.CheckpointStore;
import io.sparkzero.checkpoint.Manifest;
import io.sparkzero.driver.errors.DamagedCheckpointException;
import io.sparkzero.driver.eval.Evaluator;
import io.sparkzero.driver.options.JobConfig;
import io.sparkzero.driver.options.JobOptions;
import io.sparkzero.driver.options.TrainingSettings;
import io.sparkzero.sharding.options.ConfigException;
import io.sparkzero.worker.model.ModelSpec;
import io.sparkzero.worker.model.Models;
import io.sparkzero.worker.model.TrainableModel;
import io.sparkzero.worker.session.CheckpointProperties;
import io.sparkzero.worker.train.TrainerState;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * A sharded checkpoint as one model: the parameters assembled from every rank's shard (whatever
 * number of ranks wrote them) after the checkpoint passes its integrity checks, written as one
 * DL4J model file ({@code spark-zero export}) or evaluated on a data set ({@code spark-zero
 * eval}, which takes a model file too).
 */
public final class Consolidation {
  private Consolidation() {}

  /** A committed step's model: its architecture (spec and seed) and its parameters. */
  public record Consolidated(String model, long seed, long step, String uri, float[] params) {}

  /**
   * Reads committed step {@code step} ({@code null}: the newest) under {@code checkpointUri}.
   *
   * @throws ConfigException naming the path when nothing is committed there
   * @throws DamagedCheckpointException when the step is damaged
   */
  public static Consolidated read(String checkpointUri, Long step, Configuration conf) {
    CheckpointStore store = CheckpointStore.open(checkpointUri, conf);
    long chosen = step != null ? step : store.latestCommitted().orElseThrow(() ->
        new ConfigException(JobOptions.CHECKPOINT_PATH.key(), "no committed checkpoint under "
            + store.uri() + "; committed steps: " + store.committedSteps()));
    try (Checkpoint checkpoint = store.open(chosen)) {
      checkpoint.verify();
      Manifest m = checkpoint.manifest();
      if (m.numElements() > Integer.MAX_VALUE - 8) {
        throw new ConfigException(JobOptions.CHECKPOINT_PATH.key(), "step " + chosen + " holds "
            + m.numElements() + " parameters, more than one model file's vector can hold");
      }
      float[] params = new float[(int) m.numElements()];
      checkpoint.read(TrainerState.PARAMS, 0, params, 0, params.length);
      String model = m.properties().get(CheckpointProperties.MODEL);
      long seed = Long.parseLong(m.properties().get(CheckpointProperties.SEED));
      return new Consolidated(model, seed, chosen, store.stepUri(chosen), params);
    } catch (io.sparkzero.checkpoint.CheckpointCorruptException e) {
      throw new DamagedCheckpointException(e, "pick an older committed step with --step; committed"
          + " steps under " + store.uri() + ": " + store.committedSteps());
    }
  }

  /** Writes {@code c} as one DL4J model file at {@code outputUri} (replaced atomically). */
  public static void export(Consolidated c, String outputUri, Configuration conf) {
    ModelOutput.write(conf, c.model(), c.seed(), c.params(), outputUri);
  }

  /**
   * Evaluates a model file ({@code modelFile}) or a checkpoint's parameters on the job's {@code
   * data.test}, over {@code train.world-size} tasks.
   */
  public static Evaluator.Result evaluate(SparkSession spark, JobConfig config, String modelFile,
      Consolidated checkpoint) {
    Consolidated target = target(modelFile, checkpoint);
    return evaluator(config, target).evaluate(spark, JobData.loadTest(spark, config).examples(), target.params(),
        config.get(JobOptions.WORLD_SIZE));
  }

  /**
   * As {@link #evaluate}, under {@code eval.robust-steps}' attack; null when the job asks for no
   * robust evaluation.
   */
  public static Evaluator.Robust evaluateRobust(SparkSession spark, JobConfig config, String modelFile,
      Consolidated checkpoint) {
    io.sparkzero.worker.adv.AttackOptions attack = AdvSettings.robustAttack(config);
    if (attack == null) {
      return null;
    }
    Consolidated target = target(modelFile, checkpoint);
    AdvSettings.checkModel(config, Models.create(target.model(), target.seed()));
    return evaluator(config, target).robust(spark, JobData.loadTest(spark, config).examples(), target.params(),
        config.get(JobOptions.WORLD_SIZE), attack);
  }

  /** The checkpoint, or the model file's network and parameters. */
  private static Consolidated target(String modelFile, Consolidated checkpoint) {
    if (checkpoint != null) {
      return checkpoint;
    }
    String model = ModelSpec.FILE_PREFIX + modelFile;
    return new Consolidated(model, 0, -1, modelFile, Models.create(model, 0).params().toFloatVector());
  }

  private static Evaluator evaluator(JobConfig config, Consolidated target) {
    return new Evaluator(target.model(), target.seed(), config.get(JobOptions.EVAL_BATCH),
        TrainingSettings.objective(config));
  }
}
