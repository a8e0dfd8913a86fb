package io.sparkzero.pruning.supervised;

/**
 * Forgetting counts (Toneva et al., ICLR 2019), at epoch granularity: a forgetting event is an
 * example classified correctly after one probe epoch and wrongly after the next. Toneva et al.
 * look after every mini-batch in which the example is presented; here correctness is recorded
 * once per epoch, after it, on the whole training set, so events between two epoch ends that
 * cancel out are not seen. With few probe epochs the counts are small integers; what matters for
 * pruning is the ranking they give.
 */
public final class Forgetting {
  private Forgetting() {}

  /**
   * The score of one example in one probe run: the number of correct-to-wrong transitions in
   * {@code correctByEpoch}, or, when it was never classified correctly, {@link #neverLearned}
   * (epochs + 1): above any count a learned example can reach, so never-learned examples rank
   * hardest, as Toneva et al. rank them.
   */
  public static double score(boolean[] correctByEpoch) {
    int events = 0;
    boolean learned = false;
    for (int e = 0; e < correctByEpoch.length; e++) {
      learned |= correctByEpoch[e];
      if (e > 0 && correctByEpoch[e - 1] && !correctByEpoch[e]) {
        events++;
      }
    }
    return learned ? events : neverLearned(correctByEpoch.length);
  }

  /** The score of an example never classified correctly in {@code epochs} probe epochs. */
  public static double neverLearned(int epochs) {
    return epochs + 1;
  }
}
