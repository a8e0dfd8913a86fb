package io.sparkzero.pruning.supervised;

import io.sparkzero.pruning.ExampleScores;
import io.sparkzero.pruning.PruningMetric;

/**
 * What the probe training runs record, on the driver, and the two metrics made from it. For each
 * run (seed) and each of its epochs: whether each example was classified correctly, and its EL2N
 * score. Examples are rows in the order of {@code ids}; every epoch must report every row.
 *
 * <p>EL2N is the last probe epoch's score (the "early in training" point, {@code
 * pruning.probe-epochs}), averaged over the runs. Forgetting is each run's {@link Forgetting}
 * score over its epochs, averaged over the runs.
 */
public final class ProbeScores {
  private final long[] ids;
  private final int[] labels;
  /** [seed][epoch][example]. */
  private final boolean[][][] correct;
  /** [seed][example]: the last epoch's EL2N. */
  private final double[][] el2n;
  private final boolean[][] recorded;

  /** An empty table for {@code seeds} runs of {@code epochs} epochs over the labelled examples. */
  public ProbeScores(long[] ids, int[] labels, int seeds, int epochs) {
    if (ids.length != labels.length) {
      throw new IllegalArgumentException(ids.length + " ids but " + labels.length + " labels");
    }
    this.ids = ids.clone();
    this.labels = labels.clone();
    this.correct = new boolean[seeds][epochs][];
    this.el2n = new double[seeds][];
    this.recorded = new boolean[seeds][epochs];
  }

  /** Records run {@code seed}'s epoch {@code epoch} (both from 0); arrays by row. */
  public void record(int seed, int epoch, boolean[] correctByRow, double[] el2nByRow) {
    if (correctByRow.length != ids.length || el2nByRow.length != ids.length) {
      throw new IllegalArgumentException("probe run " + seed + ", epoch " + epoch + " reported "
          + correctByRow.length + " answers and " + el2nByRow.length + " EL2N scores for "
          + ids.length + " examples");
    }
    correct[seed][epoch] = correctByRow.clone();
    recorded[seed][epoch] = true;
    if (epoch == epochs() - 1) {
      el2n[seed] = el2nByRow.clone();
    }
  }

  /** The EL2N metric: the last epoch's score, mean over the runs. */
  public ExampleScores el2n() {
    checkComplete();
    return ExampleScores.of(PruningMetric.EL2N.configValue(), ids, labels, meanOverSeeds(el2n));
  }

  /** The forgetting metric: each run's {@link Forgetting#score}, mean over the runs. */
  public ExampleScores forgetting() {
    checkComplete();
    double[][] perSeed = new double[correct.length][ids.length];
    boolean[] sequence = new boolean[epochs()];
    for (int s = 0; s < correct.length; s++) {
      for (int i = 0; i < ids.length; i++) {
        for (int e = 0; e < sequence.length; e++) {
          sequence[e] = correct[s][e][i];
        }
        perSeed[s][i] = Forgetting.score(sequence);
      }
    }
    return ExampleScores.of(PruningMetric.FORGETTING.configValue(), ids, labels, meanOverSeeds(perSeed));
  }

  /** Per example (column), the mean of its scores over the runs (rows). */
  public static double[] meanOverSeeds(double[][] perSeed) {
    if (perSeed.length == 0) {
      throw new IllegalArgumentException("no probe runs to average over");
    }
    double[] mean = new double[perSeed[0].length];
    for (double[] run : perSeed) {
      for (int i = 0; i < mean.length; i++) {
        mean[i] += run[i];
      }
    }
    for (int i = 0; i < mean.length; i++) {
      mean[i] /= perSeed.length;
    }
    return mean;
  }

  private int epochs() {
    return recorded[0].length;
  }

  private void checkComplete() {
    for (int s = 0; s < recorded.length; s++) {
      for (int e = 0; e < recorded[s].length; e++) {
        if (!recorded[s][e]) {
          throw new IllegalStateException("probe run " + s + " has no record of epoch " + e);
        }
      }
    }
  }
}
