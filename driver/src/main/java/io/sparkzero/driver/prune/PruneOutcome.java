package io.sparkzero.driver.prune;

import io.sparkzero.pruning.ExampleScores;
import io.sparkzero.pruning.Selection;
import java.util.Map;

/**
 * What one {@code prune} run found, for its report files.
 *
 * @param data the training data's spec ({@code data.train})
 * @param settings the options it ran with
 * @param scores every metric's scores (and clusters for ssp)
 * @param selection the kept examples, selected by {@code pruning.metric}, and the per-class counts
 * @param knnCheck the embedding's k-NN accuracy against pixels; null when not measured
 */
public record PruneOutcome(String data, PruneSettings settings, PruneScores scores, Selection selection,
    KnnCheck knnCheck) {

  /** An outcome without a k-NN check. */
  public PruneOutcome(String data, PruneSettings settings, PruneScores scores, Selection selection) {
    this(data, settings, scores, selection, null);
  }

  /**
   * Every scored metric's scores by name ({@code pruning.metric} first, then {@code
   * pruning.also-score}'s), all in the same example order: row {@code i} is one example in each.
   */
  public Map<String, ExampleScores> allScores() {
    return scores.byMetric();
  }

  /** What each scoring phase took, e.g. {@code "embedding 20.1 s, ssp 6.3 s"}; empty when untimed. */
  public String scoringTimes() {
    return scores.secondsLine();
  }
}
