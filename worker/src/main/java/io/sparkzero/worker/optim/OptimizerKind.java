package io.sparkzero.worker.optim;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The optimizers a rank can build, with what differs between them: the fp32 state slots each
 * parameter carries, the papers' epsilon and weight decay, and which take weight decay or divide by
 * epsilon. The one place that switches on the optimizer.
 */
public enum OptimizerKind {
  /** SGD with momentum: one slot, the velocity (kept even at momentum 0). */
  SGD("sgd", 1, 1e-8, 0, false, false),
  /** Adam: first and second moments; epsilon keeps a zero gradient from dividing 0 by 0. */
  ADAM("adam", 2, 1e-8, 0, false, true),
  /** LARS (You, Gitman, Ginsburg 2017): momentum, trust ratio, weight decay β = 1e-4. */
  LARS("lars", 1, 0, 1e-4, true, false),
  /** LAMB (You et al., ICLR 2020): Adam's moments, trust ratio, weight decay λ = 0.01. */
  LAMB("lamb", 2, 1e-6, 0.01, true, true);

  private final String optionName;
  private final int stateSlots;
  private final double defaultEpsilon;
  private final double defaultWeightDecay;
  private final boolean takesWeightDecay;
  private final boolean dividesByEpsilon;

  OptimizerKind(String optionName, int stateSlots, double defaultEpsilon,
      double defaultWeightDecay, boolean takesWeightDecay, boolean dividesByEpsilon) {
    this.optionName = optionName;
    this.stateSlots = stateSlots;
    this.defaultEpsilon = defaultEpsilon;
    this.defaultWeightDecay = defaultWeightDecay;
    this.takesWeightDecay = takesWeightDecay;
    this.dividesByEpsilon = dividesByEpsilon;
  }

  /** The kind {@code optimizer.name} names, in any case. */
  public static OptimizerKind named(String name) {
    String lower = name.trim().toLowerCase(Locale.ROOT);
    for (OptimizerKind kind : values()) {
      if (kind.optionName.equals(lower)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("optimizer.name: '" + name + "' is not known; allowed: "
        + String.join(", ", names()));
  }

  /** Every kind's name as {@code optimizer.name} takes it. */
  public static List<String> names() {
    return Arrays.stream(values()).map(OptimizerKind::optionName).toList();
  }

  /** The name as {@code optimizer.name} takes it. */
  public String optionName() {
    return optionName;
  }

  /** fp32 state floats per parameter. */
  public int stateSlots() {
    return stateSlots;
  }

  /** The paper's epsilon (LARS: none in the trust ratio's denominator). */
  public double defaultEpsilon() {
    return defaultEpsilon;
  }

  /** The paper's weight decay; 0 for the kinds that take none. */
  public double defaultWeightDecay() {
    return defaultWeightDecay;
  }

  /** Whether the update applies weight decay (sgd and adam here take none). */
  public boolean takesWeightDecay() {
    return takesWeightDecay;
  }

  /** Whether the update divides by a term plus epsilon that can be 0 (then epsilon must be > 0). */
  public boolean dividesByEpsilon() {
    return dividesByEpsilon;
  }

  /** The update rule with {@code o}'s hyper-parameters. */
  ShardOptimizer create(OptimizerOptions o) {
    return switch (this) {
      case SGD -> new SgdMomentum((float) o.momentum());
      case ADAM -> new Adam((float) o.beta1(), (float) o.beta2(), (float) o.epsilon());
      case LARS -> new Lars((float) o.momentum(), (float) o.weightDecay(), o.trustCoefficient(),
          o.epsilon());
      case LAMB -> new Lamb((float) o.beta1(), (float) o.beta2(), (float) o.epsilon(),
          (float) o.weightDecay());
    };
  }
}
