package io.sparkzero.pruning;

import java.util.Arrays;

/**
 * One metric's score for every example, oriented so that a high score means hard (far from its
 * prototype, high error, often forgotten). Columnar: parallel primitive arrays of ids, labels and
 * scores, so a million examples cost 20 MB rather than a million objects. Checked on creation:
 * equal lengths, unique ids, no NaN score, either every example labelled or none.
 */
public final class ExampleScores {

  /** The label of an example without one (self-supervised data). */
  public static final int UNLABELED = -1;

  private final String metric;
  private final long[] ids;
  private final int[] labels;
  private final double[] scores;
  /** The distinct labels, ascending; empty when unlabelled. */
  private final int[] classLabels;

  private ExampleScores(String metric, long[] ids, int[] labels, double[] scores) {
    if (metric == null || metric.isBlank()) {
      throw new IllegalArgumentException("example scores need the name of the metric that made them");
    }
    if (ids.length != labels.length || ids.length != scores.length) {
      throw new IllegalArgumentException("metric '" + metric + "': " + ids.length + " ids, "
          + labels.length + " labels and " + scores.length + " scores; each example needs one of each");
    }
    this.metric = metric;
    this.ids = ids.clone();
    this.labels = labels.clone();
    this.scores = new double[scores.length];
    for (int i = 0; i < scores.length; i++) {
      if (Double.isNaN(scores[i])) {
        throw new IllegalArgumentException("metric '" + metric + "': example id " + ids[i]
            + " has score NaN; every example needs a number (high = hard)");
      }
      this.scores[i] = scores[i] + 0.0; // -0.0 becomes 0.0, so equal scores rank as a tie
    }
    checkUniqueIds();
    this.classLabels = checkLabels();
  }

  /** Scores of labelled examples: {@code labels[i]} is example {@code ids[i]}'s class (>= 0). */
  public static ExampleScores of(String metric, long[] ids, int[] labels, double[] scores) {
    return new ExampleScores(metric, ids, labels, scores);
  }

  /** Scores of examples without labels. */
  public static ExampleScores unlabeled(String metric, long[] ids, double[] scores) {
    int[] none = new int[ids.length];
    Arrays.fill(none, UNLABELED);
    return new ExampleScores(metric, ids, none, scores);
  }

  /** The metric's name (e.g. {@code ssp}, {@code el2n}, {@code forgetting}, {@code random}). */
  public String metric() {
    return metric;
  }

  public int size() {
    return ids.length;
  }

  public long id(int i) {
    return ids[i];
  }

  /** Example {@code i}'s class, or {@link #UNLABELED}. */
  public int label(int i) {
    return labels[i];
  }

  /** Example {@code i}'s score: high = hard. */
  public double score(int i) {
    return scores[i];
  }

  /** Whether the examples carry labels (then every one does). */
  public boolean labeled() {
    return classLabels.length > 0;
  }

  /** The number of distinct labels; 0 when unlabelled. */
  public int classes() {
    return classLabels.length;
  }

  /** The distinct labels, ascending (a copy); empty when unlabelled. */
  public int[] classLabels() {
    return classLabels.clone();
  }

  /** The dense index (0 .. classes() - 1) of example {@code i}'s class; -1 when unlabelled. */
  public int classIndex(int i) {
    return labels[i] == UNLABELED ? -1 : Arrays.binarySearch(classLabels, labels[i]);
  }

  private void checkUniqueIds() {
    long[] sorted = ids.clone();
    Arrays.sort(sorted);
    for (int i = 1; i < sorted.length; i++) {
      if (sorted[i] == sorted[i - 1]) {
        throw new IllegalArgumentException("metric '" + metric + "': example id " + sorted[i]
            + " is scored twice; each example needs exactly one score");
      }
    }
  }

  /** A mix is refused: the class floor would silently skip the unlabelled part. */
  private int[] checkLabels() {
    int unlabeled = 0;
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < UNLABELED) {
        throw new IllegalArgumentException("metric '" + metric + "': example id " + ids[i]
            + " has label " + labels[i] + "; a label is >= 0, or -1 for none");
      }
      unlabeled += labels[i] == UNLABELED ? 1 : 0;
    }
    if (unlabeled > 0 && unlabeled < labels.length) {
      throw new IllegalArgumentException("metric '" + metric + "': " + unlabeled + " of "
          + labels.length + " examples have no label; label every example or none");
    }
    return unlabeled > 0 ? new int[0] : Arrays.stream(labels).distinct().sorted().toArray();
  }
}
