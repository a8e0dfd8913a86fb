package io.sparkzero.driver.prune;

import io.sparkzero.driver.data.LoadedData;
import io.sparkzero.driver.options.JobConfig;
import io.sparkzero.driver.options.JobOptions;
import io.sparkzero.driver.train.JobData;
import io.sparkzero.pruning.PruningOptionSpecs;
import io.sparkzero.pruning.Selection;
import io.sparkzero.pruning.Selector;
import org.apache.spark.sql.SparkSession;

/**
 * The {@code prune} command's job, top to bottom: load the training data as {@code train} does,
 * embed and score it with the chosen metric, select the kept examples, check the embedding's
 * k-NN accuracy on {@code data.test} when there is one, write the report files.
 * Nothing is pruned for training yet: the output says what pruning would keep.
 */
public final class PruneJob {
  private final JobConfig config;
  private final PruneSettings settings;

  private PruneJob(JobConfig config, PruneSettings settings) {
    this.config = config;
    this.settings = settings;
  }

  /** The job for {@code config}, its pruning options checked before Spark starts. */
  public static PruneJob checked(JobConfig config) {
    return new PruneJob(config, PruneSettings.of(config));
  }

  /** Runs the job on {@code spark} and returns what it wrote about. */
  public PruneOutcome run(SparkSession spark) {
    spark.sparkContext().setJobDescription("loading the training data");
    LoadedData data = JobData.loadTrain(spark, config);
    spark.sparkContext().setJobDescription("scoring the training data: " + settings.metric());
    PruneScores scores = PruneScores.of(spark, settings, data);
    Selection selection = Selector.select(scores.scores(), settings.selection(), settings.minKeptExamples());
    KnnCheck knn = null;
    if (config.get(PruningOptionSpecs.KNN_CHECK) && !config.get(JobOptions.DATA_TEST).isEmpty()) {
      spark.sparkContext().setJobDescription("k-NN check of the embedding on the test data");
      knn = KnnCheck.run(spark, settings.embedding(), data, JobData.loadTest(spark, config));
    }
    PruneOutcome outcome = new PruneOutcome(config.get(JobOptions.DATA_TRAIN), settings, scores, selection,
        knn);
    spark.sparkContext().setJobDescription("writing the pruning report");
    PruneFiles.write(spark, outcome);
    return outcome;
  }

  public PruneSettings settings() {
    return settings;
  }
}
