package io.sparkzero.driver.prune;

import io.sparkzero.pruning.Selection;

/**
 * What one {@code prune} run found, for its report files.
 *
 * @param data the training data's spec ({@code data.train})
 * @param settings the options it ran with
 * @param scores the metric's scores (and clusters for ssp)
 * @param selection the kept examples and the per-class counts
 */
public record PruneOutcome(String data, PruneSettings settings, PruneScores scores, Selection selection) {}
