package io.sparkzero.driver.prune;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sparkzero.driver.options.JobConfig;
import io.sparkzero.driver.options.JobOptions;
import io.sparkzero.driver.report.ReportOutput;
import io.sparkzero.driver.data.LoadedData;
import io.sparkzero.driver.train.EpochListener;
import io.sparkzero.driver.train.JobData;
import io.sparkzero.driver.train.TrainingJob;
import org.apache.spark.storage.StorageLevel;
import io.sparkzero.driver.train.TrainingReport;
import io.sparkzero.driver.progress.Console;
import io.sparkzero.pruning.KeepPolicy;
import io.sparkzero.pruning.PruningMetric;
import io.sparkzero.pruning.PruningException;
import io.sparkzero.pruning.PruningOptionSpecs;
import io.sparkzero.sharding.options.ConfigException;
import java.io.ByteArrayOutputStream;
import org.apache.hadoop.conf.Configuration;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.SparkSession;

/**
 * The paper's comparison as one command: score the training data once with every metric asked
 * for, then train the job's model on each pruned set (each metric and end kept, each fraction,
 * each seed) and on all the data, for the job's number of epochs, and record each run's test
 * accuracy in {@code experiment.json}, which the pruning report draws against the kept fraction.
 *
 * <p>Scores are computed once, with {@code pruning.seed}; a seed of the comparison sets the
 * training seed ({@code train.seed}) and, for the random metric, which examples are drawn. The
 * spread over seeds is therefore the training's and random pruning's, not the scores'. The
 * results file is rewritten after every run, so an interrupted comparison keeps what it measured.
 */
public final class PruningComparison {
  static final String EXPERIMENT = "experiment.json";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** One pruned arm: a metric and the end of its ranking kept. */
  public record Arm(String metric, KeepPolicy keep) {
    /** {@code metric[:hard|easy]}; random needs no end. */
    public static Arm parse(String text) {
      String[] parts = text.trim().split(":", -1);
      if (parts.length > 2 || parts[0].isEmpty()) {
        throw new ConfigException("--arms", text, "metric[:hard|easy], e.g. ssp:hard,el2n:hard,random");
      }
      KeepPolicy keep = parts.length == 2 ? KeepPolicy.of(parts[1]) : KeepPolicy.HARD;
      if (keep == KeepPolicy.AUTO) {
        throw new ConfigException("--arms", text, "an explicit end: metric:hard or metric:easy");
      }
      return new Arm(parts[0], keep);
    }

    boolean random() {
      return metric.equals(PruningMetric.RANDOM.configValue());
    }
  }

  /** One training run's result, as the experiment file holds it. */
  record Run(String metric, String keep, double fraction, long seed, double testAccuracy, long keptExamples,
      double trainSeconds) {}

  private final JobConfig config;
  private final List<Arm> arms;
  private final List<Double> fractions;
  private final List<Long> seeds;
  private final String outputUri;
  private final PrintStream out;
  private final List<Run> runs = new ArrayList<>();

  private PruningComparison(JobConfig config, List<Arm> arms, List<Double> fractions, List<Long> seeds,
      String outputUri, PrintStream out) {
    this.config = config;
    this.arms = arms;
    this.fractions = fractions;
    this.seeds = seeds;
    this.outputUri = outputUri.endsWith("/") ? outputUri : outputUri + "/";
    this.out = out;
  }

  /** A comparison checked before Spark starts: the job trains, has test data, every run's options hold. */
  public static PruningComparison checked(JobConfig config, List<Arm> arms, List<Double> fractions,
      List<Long> seeds, String outputUri, PrintStream out) {
    if (config.get(JobOptions.DATA_TEST).isEmpty()) {
      throw new ConfigException(JobOptions.DATA_TEST.key(), "not set; the comparison measures test accuracy:"
          + " give the test data");
    }
    if (arms.isEmpty() || fractions.isEmpty() || seeds.isEmpty()) {
      throw new ConfigException("--arms", "the comparison needs at least one arm, fraction and seed");
    }
    PruningComparison comparison = new PruningComparison(config, arms, fractions, seeds, outputUri, out);
    for (Arm arm : arms) {
      for (double f : fractions) {
        if (!(f > 0 && f < 1)) {
          throw new PruningException(PruningOptionSpecs.FRACTION_KEY, Double.toString(f), "a fraction in (0, 1);"
              + " the full data set is always trained on as the reference");
        }
        TrainingJob.checked(comparison.runConfig(arm, f, seeds.get(0)), new PrintStream(
            new ByteArrayOutputStream()));
      }
    }
    PruneSettings.of(comparison.scoringConfig());
    return comparison;
  }

  /** Scores, trains every run, and writes {@code experiment.json} and {@code report.html}. */
  public void run(SparkSession spark) {
    out.println("spark-zero: comparison: scoring the training data with " + scoredMetrics());
    PruneJob scoringJob = PruneJob.checked(scoringConfig(), Console.plain(out));
    PruneOutcome scoring = scoringJob.run(spark);
    int total = seeds.size() * (1 + arms.size() * fractions.size());
    int done = 0;
    // Every run trains on the same data: read and decode it once, not once per run.
    LoadedData loaded = JobData.loadTrain(spark, config);
    LoadedData data = new LoadedData(loaded.examples().persist(StorageLevel.MEMORY_AND_DISK()),
        loaded.numFeatures(), loaded.numClasses(), loaded.count(), loaded.badRecords());
    try {
      for (long seed : seeds) {
        done++;
        train(spark, data, null, 1.0, seed, done, total);
        for (Arm arm : arms) {
          for (double fraction : fractions) {
            done++;
            train(spark, data, arm, fraction, seed, done, total);
          }
        }
      }
    } finally {
      data.examples().unpersist(false);
    }
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    ExperimentResults results = ExperimentResults.read(conf, outputUri + EXPERIMENT);
    ReportOutput.write(conf, scoring.settings().file(PruneFiles.REPORT),
        PruneReportPage.render(scoring, scoringJob.inputs().withExperiment(results)));
    out.println("spark-zero: comparison: " + runs.size() + " runs in " + outputUri + EXPERIMENT
        + "; scores and the report with the accuracy chart in " + scoresUri());
  }

  private void train(SparkSession spark, LoadedData data, Arm arm, double fraction, long seed, int index,
      int total) {
    JobConfig run = arm == null ? config.with(JobOptions.SEED, seed).with(JobOptions.OUTPUT_MODEL, "")
        .with(JobOptions.CHECKPOINT_PATH, "").with(PruningOptionSpecs.FRACTION, 1.0)
        : runConfig(arm, fraction, seed);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    long t0 = System.nanoTime();
    TrainingReport report;
    try {
      report = TrainingJob.checked(run, new PrintStream(log, true)).run(spark, data, EpochListener.NONE);
    } catch (RuntimeException e) {
      out.print(log);
      throw e;
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    long kept = keptExamples(log.toString());
    double accuracy = report.evaluation().accuracy();
    runs.add(new Run(arm == null ? "none" : arm.metric(), arm == null ? "all" : arm.keep().configValue(), fraction,
        seed, accuracy, kept, seconds));
    writeResults(spark);
    out.printf(Locale.ROOT, "spark-zero: comparison %d/%d: %s, fraction %.2f, seed %d: test accuracy %.4f"
        + " (%d examples, %.0f s)%n", index, total, arm == null ? "all data" : arm.metric() + " keep "
        + arm.keep().configValue(), fraction, seed, accuracy, kept, seconds);
  }

  private JobConfig runConfig(Arm arm, double fraction, long seed) {
    return config.with(JobOptions.SEED, seed).with(JobOptions.OUTPUT_MODEL, "")
        .with(JobOptions.CHECKPOINT_PATH, "")
        .with(PruningOptionSpecs.FRACTION, fraction).with(PruningOptionSpecs.KEEP, arm.keep().configValue())
        .with(PruningOptionSpecs.METRIC, arm.metric())
        .with(PruningOptionSpecs.SEED, arm.random() ? seed : config.get(PruningOptionSpecs.SEED))
        .with(PruningOptionSpecs.RESCORE_EVERY, 0)
        .with(PruningOptionSpecs.SCORES, arm.random() ? "" : scoresUri());
  }

  /**
   * The one prune run that scores every arm's metric (random too, for the report's correlations;
   * the random arms draw their own per seed in train).
   */
  private JobConfig scoringConfig() {
    List<String> metrics = new ArrayList<>(scoredMetrics());
    String first = metrics.remove(0);
    return config.with(PruningOptionSpecs.METRIC, first)
        .with(PruningOptionSpecs.ALSO_SCORE, String.join(",", metrics))
        .with(PruningOptionSpecs.FRACTION, fractions.get(0))
        .with(PruningOptionSpecs.OUTPUT, scoresUri());
  }

  private List<String> scoredMetrics() {
    Set<String> metrics = new LinkedHashSet<>();
    for (Arm arm : arms) {
      if (!arm.random()) {
        metrics.add(arm.metric());
      }
    }
    metrics.add(PruningMetric.RANDOM.configValue());
    return new ArrayList<>(metrics);
  }

  private String scoresUri() {
    return outputUri + "scores";
  }

  /** The count from train's "training on K of N examples" line; N when it did not prune. */
  private static long keptExamples(String log) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("training on (\\d+) of (\\d+) examples")
        .matcher(log);
    if (m.find()) {
      return Long.parseLong(m.group(1));
    }
    java.util.regex.Matcher all = java.util.regex.Pattern.compile("spark-zero: (\\d+) training examples")
        .matcher(log);
    return all.find() ? Long.parseLong(all.group(1)) : -1;
  }

  private void writeResults(SparkSession spark) {
    Map<String, Object> file = new LinkedHashMap<>();
    file.put("model", config.get(JobOptions.MODEL));
    file.put("epochs", config.get(JobOptions.EPOCHS));
    file.put("data", config.get(JobOptions.DATA_TRAIN));
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Run r : runs) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("metric", r.metric());
      row.put("keep", r.keep());
      row.put("fraction", r.fraction());
      row.put("seed", r.seed());
      row.put("test_accuracy", r.testAccuracy());
      row.put("kept_examples", r.keptExamples());
      row.put("train_seconds", r.trainSeconds());
      rows.add(row);
    }
    file.put("runs", rows);
    try {
      ReportOutput.write(spark.sparkContext().hadoopConfiguration(), outputUri + EXPERIMENT,
          JSON.writeValueAsString(file));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
