package io.sparkzero.driver.prune;

import io.sparkzero.driver.options.JobConfig;
import io.sparkzero.driver.options.JobOptions;
import io.sparkzero.pruning.PruningException;
import io.sparkzero.pruning.PruningOptionSpecs;
import io.sparkzero.pruning.PruningOptions;

/**
 * What {@code prune} needs from a job file, read and checked on the driver before Spark starts.
 *
 * @param metric {@code pruning.metric}: ssp or random
 * @param embedding {@code pruning.embedding}: pixels or model:<uri>#<layer>
 * @param k {@code pruning.k}: clusters for ssp; 0 means 10 x the number of classes
 * @param outputUri {@code pruning.output}: the directory the report files go to
 * @param selection the selection options ({@code pruning.fraction}, keep, class floor, ...)
 * @param minKeptExamples world size x batch: what one training step needs
 * @param thumbnails {@code pruning.report-thumbnails}: examples drawn per class and row; 0: none
 * @param experimentUri {@code pruning.experiment}: an experiment results file; empty: none
 */
public record PruneSettings(String metric, String embedding, int k, String outputUri,
    PruningOptions selection, long minKeptExamples, int thumbnails, String experimentUri) {

  /** The metric that needs no embedding. */
  public static final String RANDOM = "random";

  /** The settings of {@code config}; a missing {@code pruning.output} is a configuration error. */
  public static PruneSettings of(JobConfig config) {
    String output = config.get(PruningOptionSpecs.OUTPUT).trim();
    if (output.isEmpty()) {
      throw new PruningException(PruningOptionSpecs.OUTPUT_KEY, "not set; prune writes scores.parquet,"
          + " summary.json and report.html there: give a directory URI, e.g. --set "
          + PruningOptionSpecs.OUTPUT_KEY + "=file:///tmp/pruning");
    }
    PruningOptions selection = new PruningOptions(config.get(PruningOptionSpecs.FRACTION),
        config.get(PruningOptionSpecs.KEEP), config.get(PruningOptionSpecs.CLASS_FLOOR),
        config.get(PruningOptionSpecs.ABUNDANT_PER_CLASS), config.get(PruningOptionSpecs.SEED));
    long minKept = (long) config.get(JobOptions.WORLD_SIZE) * config.get(JobOptions.BATCH_SIZE);
    return new PruneSettings(config.get(PruningOptionSpecs.METRIC), config.get(PruningOptionSpecs.EMBEDDING),
        config.get(PruningOptionSpecs.K), output, selection, minKept,
        config.get(PruningOptionSpecs.REPORT_THUMBNAILS), config.get(PruningOptionSpecs.EXPERIMENT).trim());
  }

  /** Whether the metric reads embeddings (ssp does, random does not). */
  public boolean needsEmbedding() {
    return !metric.equals(RANDOM);
  }

  /** The URI of one report file in the output directory. */
  public String file(String name) {
    return outputUri.endsWith("/") ? outputUri + name : outputUri + "/" + name;
  }
}
