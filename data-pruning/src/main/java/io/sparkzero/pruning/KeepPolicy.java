package io.sparkzero.pruning;

import java.util.Locale;

/**
 * Which end of the ranking a pruned data set keeps. Sorscher et al. (NeurIPS 2022) found that the
 * best end depends on how much data there is: with scarce data keep the easy examples (they teach
 * the coarse structure), with abundant data keep the hard ones (the easy ones add nothing new).
 * {@link #AUTO} applies that finding with the rule of {@link #resolve}.
 */
public enum KeepPolicy {
  /** Keep the highest scores (far from the prototype, high error, often forgotten). */
  HARD,
  /** Keep the lowest scores. */
  EASY,
  /** HARD when the data is abundant, EASY when scarce; see {@link #resolve}. */
  AUTO;

  /**
   * Classes assumed for unlabelled data when judging abundance: ten, as in MNIST, Fashion-MNIST
   * and CIFAR-10, the data sets this project trains on.
   */
  public static final long CLASSES_ASSUMED_UNLABELED = 10;

  /** What a policy resolved to (HARD or EASY) and why, in one line for the run's summary. */
  public record Decision(KeepPolicy policy, String reason) {}

  /** The policy named {@code text} (hard, easy or auto, in any case). */
  public static KeepPolicy of(String text) {
    String name = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    for (KeepPolicy p : values()) {
      if (p.configValue().equals(name)) {
        return p;
      }
    }
    throw new PruningException(PruningOptionSpecs.KEEP_KEY, String.valueOf(text), "one of hard | easy | auto");
  }

  /** The policy's name in a job file: {@code hard}, {@code easy} or {@code auto}. */
  public String configValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Resolves AUTO to HARD or EASY; HARD and EASY resolve to themselves. The data is abundant when
   * it has at least {@code abundantPerClass} examples per class (n / classes, before pruning), or,
   * without labels, at least {@link #CLASSES_ASSUMED_UNLABELED} x {@code abundantPerClass} examples.
   */
  public Decision resolve(ExampleScores scores, long abundantPerClass) {
    if (this != AUTO) {
      return new Decision(this, "keep: " + configValue() + " (as set)");
    }
    long n = scores.size();
    long classes = scores.labeled() ? scores.classes() : CLASSES_ASSUMED_UNLABELED;
    boolean abundant = n >= abundantPerClass * classes; // n / classes >= threshold, without rounding
    String judged = scores.labeled()
        ? n + " examples / " + classes + " classes = " + n / classes + " per class "
            + (abundant ? ">= " : "< ") + PruningOptionSpecs.ABUNDANT_PER_CLASS_KEY + " " + abundantPerClass
        : n + " unlabelled examples " + (abundant ? ">= " : "< ") + CLASSES_ASSUMED_UNLABELED + " x "
            + PruningOptionSpecs.ABUNDANT_PER_CLASS_KEY + " = " + classes * abundantPerClass;
    return abundant
        ? new Decision(HARD, "keep: auto chose hard: " + judged + ", data is abundant")
        : new Decision(EASY, "keep: auto chose easy: " + judged + ", data is scarce");
  }
}
