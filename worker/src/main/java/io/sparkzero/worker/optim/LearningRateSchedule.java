package io.sparkzero.worker.optim;

import java.io.Serializable;

/**
 * The learning rate of every global step. The base rate η₀ was tuned at batch B₀; at global
 * batch B the peak rate is η₀·B/B₀ ({@code linear}, for SGD and LARS), η₀·√(B/B₀) ({@code sqrt},
 * for Adam and LAMB) or η₀ ({@code none}). The rate rises linearly over the first W steps
 * (step t, counted from 0, gets peak·(t+1)/W), then decays over the remaining T − W steps:
 * {@code poly} peak·(1 − (t − W)/(T − W))^p, {@code cosine} peak·(1 + cos(π(t − W)/(T − W)))/2, or
 * stays at the peak ({@code none}).
 *
 * @param baseRate η₀
 * @param scale {@code linear}, {@code sqrt} or {@code none}
 * @param baseBatch B₀
 * @param globalBatch B: ranks × micro-batch × accumulation steps
 * @param warmupSteps W (0: no warm-up)
 * @param decay {@code none}, {@code poly} or {@code cosine}
 * @param power p of the polynomial decay
 * @param totalSteps T: the job's global steps
 */
public record LearningRateSchedule(double baseRate, String scale, long baseBatch, long globalBatch,
    long warmupSteps, String decay, double power, long totalSteps) implements Serializable {

  public LearningRateSchedule {
    if (!scale.equals("linear") && !scale.equals("sqrt") && !scale.equals("none")) {
      throw new IllegalArgumentException("lr.scale: '" + scale + "'; allowed: linear, sqrt, none");
    }
    if (!decay.equals("none") && !decay.equals("poly") && !decay.equals("cosine")) {
      throw new IllegalArgumentException("lr.decay: '" + decay + "'; allowed: none, poly, cosine");
    }
    if (baseBatch <= 0 || globalBatch <= 0 || warmupSteps < 0 || totalSteps <= 0) {
      throw new IllegalArgumentException("learning-rate schedule needs positive batches and total"
          + " steps and a warm-up of 0 or more steps: base batch " + baseBatch + ", global batch "
          + globalBatch + ", warm-up " + warmupSteps + ", total " + totalSteps);
    }
  }

  /** The same rate at every step. */
  public static LearningRateSchedule constant(double rate) {
    return new LearningRateSchedule(rate, "none", 1, 1, 0, "none", 1, Long.MAX_VALUE);
  }

  /** The rate after batch-size scaling, reached at the end of warm-up. */
  public double peak() {
    double ratio = (double) globalBatch / baseBatch;
    return switch (scale) {
      case "linear" -> baseRate * ratio;
      case "sqrt" -> baseRate * Math.sqrt(ratio);
      default -> baseRate;
    };
  }

  /** The rate of global step {@code step} (0-based). */
  public double rate(long step) {
    double peak = peak();
    if (step < warmupSteps) {
      return peak * (step + 1) / warmupSteps;
    }
    if (decay.equals("none") || totalSteps <= warmupSteps) {
      return peak;
    }
    double progress = Math.min(1.0, (double) (step - warmupSteps) / (totalSteps - warmupSteps));
    return switch (decay) {
      case "poly" -> peak * Math.pow(1 - progress, power);
      default -> peak * 0.5 * (1 + Math.cos(Math.PI * progress));
    };
  }
}
