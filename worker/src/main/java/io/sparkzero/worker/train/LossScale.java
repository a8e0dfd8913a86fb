package io.sparkzero.worker.train;

import java.io.Serializable;

/**
 * The loss scale and the guard against non-finite gradients. A step whose gradients hold an inf or
 * a NaN on any rank is skipped by every rank (the stepper decides from a flag summed across
 * ranks, so all ranks see the same verdict). With dynamic scaling (mixed precision) a skip halves
 * the scale and {@link Options#growthWindow} clean steps in a row double it; at full precision the
 * scale stays 1 and only the skip applies. More than {@link Options#maxSkippedSteps} skips in a row
 * stop the job: the run has diverged, and no NaN ever reaches the parameters or a checkpoint.
 */
public final class LossScale {
  /** Smallest scale dynamic scaling goes down to. */
  static final float MIN_SCALE = 1f;

  /**
   * @param dynamic whether the scale moves (mixed precision); false: fixed at 1
   * @param initialScale the scale at step 0 when dynamic
   * @param growthWindow clean steps in a row after which a dynamic scale doubles
   * @param maxSkippedSteps skipped steps in a row that stop the job
   */
  public record Options(boolean dynamic, float initialScale, int growthWindow,
      int maxSkippedSteps) implements Serializable {
    /** Full precision: scale 1, skips guarded. */
    public static Options fullPrecision(int maxSkippedSteps) {
      return new Options(false, 1f, 1, maxSkippedSteps);
    }
  }

  private final Options options;
  private float scale;
  private long cleanSteps;
  private int skippedInRow;
  private long skippedTotal;

  public LossScale(Options options) {
    this.options = options;
    this.scale = options.dynamic() ? options.initialScale() : 1f;
  }

  /** The factor the loss (so every gradient) is multiplied by. */
  public float scale() {
    return scale;
  }

  /** Steps skipped since the job started (or since the restored checkpoint's count). */
  public long skippedTotal() {
    return skippedTotal;
  }

  /** Skipped steps in a row up to now. */
  public int skippedInRow() {
    return skippedInRow;
  }

  long cleanSteps() {
    return cleanSteps;
  }

  /**
   * Records a step's outcome and moves the scale.
   *
   * @throws NonFiniteGradientException after more than the allowed skips in a row
   */
  public void record(boolean applied, long globalStep, int rank) {
    if (applied) {
      skippedInRow = 0;
      cleanSteps++;
      if (options.dynamic() && cleanSteps >= options.growthWindow()) {
        scale = Math.min(scale * 2, Float.MAX_VALUE / 2);
        cleanSteps = 0;
      }
      return;
    }
    skippedTotal++;
    skippedInRow++;
    cleanSteps = 0;
    if (options.dynamic()) {
      scale = Math.max(MIN_SCALE, scale / 2);
    }
    if (skippedInRow > options.maxSkippedSteps()) {
      throw new NonFiniteGradientException("global step " + globalStep + " (0-based), rank " + rank
          + ": " + skippedInRow + " steps in a row had an inf or NaN gradient on some rank and were"
          + " skipped (allowed: " + options.maxSkippedSteps() + ", train.max-skipped-steps); loss"
          + " scale " + scale + ". The run has diverged: lower the learning rate, lengthen the"
          + " warm-up or clip gradients (optimizer.clip-norm). Parameters and checkpoints hold the"
          + " last finite step's values.");
    }
  }

  /** Restores the state a checkpoint saved. */
  void restore(float savedScale, long savedCleanSteps, int savedSkippedInRow, long savedTotal) {
    scale = options.dynamic() ? savedScale : 1f;
    cleanSteps = savedCleanSteps;
    skippedInRow = savedSkippedInRow;
    skippedTotal = savedTotal;
  }

  /** Too many consecutive steps had non-finite gradients. */
  public static final class NonFiniteGradientException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    NonFiniteGradientException(String message) {
      super(message);
    }
  }
}
