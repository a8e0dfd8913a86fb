package io.sparkzero.driver.prune;

import io.sparkzero.pruning.Selection;

/**
 * What one {@code prune} run found, for its report files.
 *
 * @param data the training data's spec ({@code data.train})
 * @param settings the options it ran with
 * @param scores the metric's scores (and clusters for ssp)
 * @param selection the kept examples and the per-class counts
 * @param knnCheck the embedding's k-NN accuracy against pixels; null when not measured
 */
public record PruneOutcome(String data, PruneSettings settings, PruneScores scores, Selection selection,
    KnnCheck knnCheck) {

  /** An outcome without a k-NN check. */
  public PruneOutcome(String data, PruneSettings settings, PruneScores scores, Selection selection) {
    this(data, settings, scores, selection, null);
  }
}
