package io.sparkzero.pruning;

/**
 * The random baseline as a metric: every example gets a score in [0, 1) from a hash of (seed,
 * id), so the ranking is uniform and the same however the data is partitioned or ordered. Any
 * metric worth its cost has to beat keeping the top fraction of these scores.
 */
public final class RandomScores {

  /** The metric's name, as {@link ExampleScores#metric()} gives it. */
  public static final String METRIC = "random";

  private RandomScores() {}

  /** The score of example {@code id} under {@code seed}: uniform in [0, 1). */
  public static double score(long seed, long id) {
    return SplitMix.unit(seed, id);
  }

  /**
   * Random scores for labelled examples ({@code labels} may hold {@link ExampleScores#UNLABELED}
   * throughout, or be null for unlabelled data).
   */
  public static ExampleScores of(long seed, long[] ids, int[] labels) {
    double[] scores = new double[ids.length];
    for (int i = 0; i < ids.length; i++) {
      scores[i] = score(seed, ids[i]);
    }
    return labels == null ? ExampleScores.unlabeled(METRIC, ids, scores)
        : ExampleScores.of(METRIC, ids, labels, scores);
  }
}
