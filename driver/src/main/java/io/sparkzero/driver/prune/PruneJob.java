package io.sparkzero.driver.prune;

import io.sparkzero.driver.data.LoadedData;
import io.sparkzero.driver.options.JobConfig;
import io.sparkzero.driver.options.JobOptions;
import io.sparkzero.driver.progress.Console;
import io.sparkzero.driver.train.JobData;
import io.sparkzero.pruning.PruningMetric;
import io.sparkzero.pruning.PruningException;
import io.sparkzero.pruning.PruningOptionSpecs;
import io.sparkzero.pruning.Selection;
import io.sparkzero.pruning.Selector;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The {@code prune} command's job, top to bottom: load the training data as {@code train} does,
 * score it with every metric asked for (embeddings and probe runs as they need), select the kept
 * examples by {@code pruning.metric}, check the embedding's k-NN accuracy on {@code data.test} when
 * asked, fetch the few examples the report draws, write the report files.
 * Nothing is pruned for training yet: the output says what pruning would keep.
 */
public final class PruneJob {
  private final JobConfig config;
  private final PruneSettings settings;
  private final ProbeRuns probes;
  private ReportInputs inputs;

  private PruneJob(JobConfig config, PruneSettings settings, ProbeRuns probes) {
    this.config = config;
    this.settings = settings;
    this.probes = probes;
  }

  /**
   * The job for {@code config}, its pruning options checked before Spark starts; so are the probe
   * training runs el2n and forgetting need (as {@code train} checks a job), whose progress goes to
   * {@code console}.
   */
  public static PruneJob checked(JobConfig config, Console console) {
    PruneSettings settings = PruneSettings.of(config);
    ProbeRuns probes = settings.needsProbes() ? ProbeRuns.checked(config, settings.probes(), console)
        : ProbeRuns.NONE;
    return new PruneJob(config, settings, probes);
  }

  /** Runs the job on {@code spark} and returns what it wrote about. */
  public PruneOutcome run(SparkSession spark) {
    ExperimentResults experiment = experiment(spark); // a bad file stops the job before any scoring
    spark.sparkContext().setJobDescription("loading the training data");
    LoadedData loaded = JobData.loadTrain(spark, config);
    // Every metric, and every probe run, reads the examples again.
    LoadedData data = new LoadedData(loaded.examples().persist(StorageLevel.MEMORY_AND_DISK()),
        loaded.numFeatures(), loaded.numClasses(), loaded.count(), loaded.badRecords());
    spark.sparkContext().setJobDescription("scoring the training data: " + String.join(", ",
        settings.metrics().stream().map(PruningMetric::configValue).toList()));
    PruneScores scores;
    try {
      scores = PruneScores.of(spark, settings, data, probes);
    } finally {
      data.examples().unpersist(false);
    }
    Selection selection = Selector.select(scores.scores(), settings.selection(), settings.minKeptExamples());
    KnnCheck knn = null;
    if (config.get(PruningOptionSpecs.KNN_CHECK) && !config.get(JobOptions.DATA_TEST).isEmpty()) {
      spark.sparkContext().setJobDescription("k-NN check of the embedding on the test data");
      knn = KnnCheck.run(spark, settings.embedding(), settings.projectionDims(), settings.selection().seed(), data,
          JobData.loadTest(spark, config));
    }
    PruneOutcome outcome = new PruneOutcome(config.get(JobOptions.DATA_TRAIN), settings, scores, selection,
        knn);
    spark.sparkContext().setJobDescription("fetching the report's thumbnails");
    inputs = ReportInputs.gather(data, outcome, experiment);
    spark.sparkContext().setJobDescription("writing the pruning report");
    PruneFiles.write(spark, outcome, inputs);
    return outcome;
  }

  /** The results file {@code pruning.experiment} names, or null when it names none. */
  private ExperimentResults experiment(SparkSession spark) {
    if (settings.experimentUri().isEmpty()) {
      return null;
    }
    try {
      return ExperimentResults.read(spark.sparkContext().hadoopConfiguration(), settings.experimentUri());
    } catch (IllegalArgumentException e) {
      throw new PruningException(PruningOptionSpecs.EXPERIMENT_KEY, e.getMessage());
    }
  }

  /** What the last {@link #run} drew in its report (scores, thumbnails), for a later page. */
  ReportInputs inputs() {
    return inputs;
  }

  public PruneSettings settings() {
    return settings;
  }
}
