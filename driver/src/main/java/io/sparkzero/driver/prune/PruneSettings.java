package io.sparkzero.driver.prune;

import io.sparkzero.driver.data.DataSpec;
import io.sparkzero.driver.options.JobConfig;
import io.sparkzero.driver.options.JobOptions;
import io.sparkzero.driver.train.JobData;
import io.sparkzero.pruning.PruningException;
import io.sparkzero.pruning.PruningMetric;
import io.sparkzero.pruning.PruningOptionSpecs;
import io.sparkzero.pruning.PruningOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code prune} needs from a job file, read and checked on the driver before Spark starts.
 *
 * @param metrics every metric scored, each once: {@code pruning.metric} (which selects) first,
 *     then {@code pruning.also-score}'s in the order given
 * @param embedding {@code pruning.embedding}: pixels or model:<uri>#<layer>
 * @param k {@code pruning.k}: clusters for ssp; 0 means 10 x the number of classes
 * @param probes the probe training runs behind el2n and forgetting
 * @param outputUri {@code pruning.output}: the directory the report files go to
 * @param selection the selection options ({@code pruning.fraction}, keep, class floor, ...)
 * @param minKeptExamples world size x batch: what one training step needs
 * @param thumbnails {@code pruning.report-thumbnails}: examples drawn per class and row; 0: none
 * @param projectionDims {@code pruning.projection-dims}: embeddings wider than this are randomly
 *     projected to it before clustering; 0: never
 * @param experimentUri {@code pruning.experiment}: an experiment results file; empty: none
 */
public record PruneSettings(List<PruningMetric> metrics, String embedding, int k, Probes probes,
    String outputUri, PruningOptions selection, long minKeptExamples, int thumbnails, String experimentUri,
    int projectionDims) {

  /**
   * The probe training runs: {@code seeds} runs of the job's model on its training data, run
   * {@code i} with {@code train.seed = firstSeed + i} ({@code pruning.seed + i}), each {@code
   * epochs} long.
   */
  public record Probes(int epochs, int seeds, long firstSeed) {}

  public PruneSettings {
    metrics = List.copyOf(metrics);
  }

  /**
   * The settings of {@code config} for prune; a missing {@code pruning.output}, a metric that needs
   * labels on data without them, or an embedding of the model being trained (prune trains none) is
   * a configuration error.
   */
  public static PruneSettings of(JobConfig config) {
    String embedding = config.get(PruningOptionSpecs.EMBEDDING);
    if (embedding.startsWith(PruningOptionSpecs.TRAINING_PREFIX)) {
      throw new PruningException(PruningOptionSpecs.EMBEDDING_KEY, embedding + " names the model being"
          + " trained, which only train's pruning has; prune takes pixels or model:<uri>#<layer>");
    }
    return of(config, true);
  }

  /**
   * The settings of {@code config} for train, which scores only the selecting metric
   * ({@code pruning.also-score} is for prune's report) and writes no report files.
   */
  public static PruneSettings forTraining(JobConfig config) {
    PruneSettings s = of(config, false);
    return new PruneSettings(List.of(s.selecting()), s.embedding(), s.k(), s.probes(), s.outputUri(),
        s.selection(), s.minKeptExamples(), s.thumbnails(), s.experimentUri(), s.projectionDims());
  }

  private static PruneSettings of(JobConfig config, boolean outputRequired) {
    String output = config.get(PruningOptionSpecs.OUTPUT).trim();
    if (output.isEmpty() && outputRequired) {
      throw new PruningException(PruningOptionSpecs.OUTPUT_KEY, "not set; prune writes scores.parquet,"
          + " summary.json and report.html there: give a directory URI, e.g. --set "
          + PruningOptionSpecs.OUTPUT_KEY + "=file:///tmp/pruning");
    }
    PruningOptions selection = new PruningOptions(config.get(PruningOptionSpecs.FRACTION),
        config.get(PruningOptionSpecs.KEEP), config.get(PruningOptionSpecs.CLASS_FLOOR),
        config.get(PruningOptionSpecs.ABUNDANT_PER_CLASS), config.get(PruningOptionSpecs.SEED));
    long minKept = (long) config.get(JobOptions.WORLD_SIZE) * config.get(JobOptions.BATCH_SIZE);
    List<PruningMetric> metrics = new ArrayList<>();
    metrics.add(PruningMetric.of(PruningOptionSpecs.METRIC_KEY, config.get(PruningOptionSpecs.METRIC)));
    for (PruningMetric m : PruningMetric.listOf(PruningOptionSpecs.ALSO_SCORE_KEY,
        config.get(PruningOptionSpecs.ALSO_SCORE))) {
      if (!metrics.contains(m)) {
        metrics.add(m);
      }
    }
    PruneSettings settings = new PruneSettings(metrics, config.get(PruningOptionSpecs.EMBEDDING),
        config.get(PruningOptionSpecs.K), new Probes(config.get(PruningOptionSpecs.PROBE_EPOCHS),
            config.get(PruningOptionSpecs.PROBE_SEEDS), selection.seed()), output, selection, minKept,
        config.get(PruningOptionSpecs.REPORT_THUMBNAILS), config.get(PruningOptionSpecs.EXPERIMENT).trim(),
        config.get(PruningOptionSpecs.PROJECTION));
    DataSpec data = JobData.spec(config, JobOptions.DATA_TRAIN);
    if (!data.labeled()) {
      settings.checkUnlabeled(config.get(JobOptions.DATA_TRAIN));
    }
    return settings;
  }

  /** Fails unless every metric can score data without labels ({@code data} is the spec's text). */
  private void checkUnlabeled(String data) {
    for (PruningMetric m : metrics) {
      if (m.needsLabels()) {
        String key = m == selecting() ? PruningOptionSpecs.METRIC_KEY : PruningOptionSpecs.ALSO_SCORE_KEY;
        throw new PruningException(key, m.configValue() + " needs labels, but " + JobOptions.DATA_TRAIN.key()
            + " (" + data + ") has none; use ssp or random, or give a labels file (labels=<uri>)");
      }
    }
    if (metrics.contains(PruningMetric.SSP) && k == 0) {
      throw new PruningException(PruningOptionSpecs.K_KEY, "0 means 10 x the number of classes, but "
          + JobOptions.DATA_TRAIN.key() + " (" + data + ") has no labels; set the number of ssp clusters,"
          + " e.g. --set " + PruningOptionSpecs.K_KEY + "=100");
    }
  }

  /** The metric whose scores select the kept examples ({@code pruning.metric}). */
  public PruningMetric selecting() {
    return metrics.get(0);
  }

  /** The selecting metric's name, as a job file writes it. */
  public String metric() {
    return selecting().configValue();
  }

  /** Whether any metric reads embeddings (ssp and supervised-prototypes do; they share them). */
  public boolean needsEmbedding() {
    return metrics.stream().anyMatch(PruningMetric::needsEmbedding);
  }

  /** Whether any metric needs the probe training runs (el2n, forgetting; they share them). */
  public boolean needsProbes() {
    return metrics.stream().anyMatch(PruningMetric::needsProbes);
  }

  /** The URI of one report file in the output directory. */
  public String file(String name) {
    return outputUri.endsWith("/") ? outputUri + name : outputUri + "/" + name;
  }
}
