package io.sparkzero.pruning.ssp;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The {@code k} nearest training examples found so far for each of a block of test examples,
 * nearest first: cosine similarity, then (for equal similarity) the smaller training id, so the
 * lists do not depend on how the training data is partitioned or in which order partial lists
 * are merged.
 */
final class Neighbours implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int k;
  private final float[] similarity;
  private final long[] id;
  private final int[] label;
  private final int[] count;

  /** Empty lists for {@code rows} test examples. */
  Neighbours(int rows, int k) {
    this.k = k;
    this.similarity = new float[rows * k];
    this.id = new long[rows * k];
    this.label = new int[rows * k];
    this.count = new int[rows];
  }

  int rows() {
    return count.length;
  }

  /** Offers training example {@code trainId} ({@code trainLabel}) at {@code sim} to row {@code row}. */
  void offer(int row, float sim, long trainId, int trainLabel) {
    int n = count[row];
    int base = row * k;
    if (n == k && !nearer(sim, trainId, similarity[base + k - 1], id[base + k - 1])) {
      return;
    }
    int at = n == k ? k - 1 : n;
    while (at > 0 && nearer(sim, trainId, similarity[base + at - 1], id[base + at - 1])) {
      similarity[base + at] = similarity[base + at - 1];
      id[base + at] = id[base + at - 1];
      label[base + at] = label[base + at - 1];
      at--;
    }
    similarity[base + at] = sim;
    id[base + at] = trainId;
    label[base + at] = trainLabel;
    count[row] = Math.min(n + 1, k);
  }

  /** This and {@code other}'s lists merged into this (same test rows); returns this. */
  Neighbours merge(Neighbours other) {
    for (int row = 0; row < count.length; row++) {
      int base = row * k;
      for (int j = 0; j < other.count[row]; j++) {
        offer(row, other.similarity[base + j], other.id[base + j], other.label[base + j]);
      }
    }
    return this;
  }

  /**
   * Row {@code row}'s predicted class: the label most of its neighbours have; a tie goes to the
   * label whose neighbours' similarities sum higher, then to the smaller label.
   */
  int vote(int row) {
    int base = row * k;
    int n = count[row];
    int[] labels = Arrays.copyOfRange(label, base, base + n);
    int best = -1;
    int bestVotes = 0;
    double bestSum = 0;
    for (int candidate : Arrays.stream(labels).distinct().sorted().toArray()) {
      int votes = 0;
      double sum = 0;
      for (int j = 0; j < n; j++) {
        if (labels[j] == candidate) {
          votes++;
          sum += similarity[base + j];
        }
      }
      if (votes > bestVotes || votes == bestVotes && sum > bestSum) {
        best = candidate;
        bestVotes = votes;
        bestSum = sum;
      }
    }
    return best;
  }

  private static boolean nearer(float sim, long trainId, float otherSim, long otherId) {
    return sim > otherSim || sim == otherSim && trainId < otherId;
  }
}
