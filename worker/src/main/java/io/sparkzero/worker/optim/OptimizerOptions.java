package io.sparkzero.worker.optim;

import java.io.Serializable;
import java.util.regex.Pattern;

/**
 * Which optimizer a rank builds and its hyper-parameters. Validated by the driver's option
 * registry before anything starts.
 *
 * @param name {@code sgd} (with momentum), {@code adam}, {@code lars} or {@code lamb}
 * @param learningRate base learning rate (before batch-size scaling and schedules)
 * @param momentum SGD and LARS momentum in {@code [0, 1)}
 * @param beta1 Adam and LAMB first-moment decay
 * @param beta2 Adam and LAMB second-moment decay
 * @param epsilon Adam and LAMB denominator term, LARS trust-ratio denominator term
 * @param weightDecay LARS β and LAMB λ (not applied to excluded tensors); must be 0 for sgd, adam
 * @param trustCoefficient LARS η
 * @param exclude regular expression over tensor names ({@code <layer>_<key>}): tensors it matches
 *     get no trust ratio and no weight decay; {@value #EXCLUDE_NOTHING}: every tensor gets both
 * @param clipNorm clip the averaged gradient to this global L2 norm; 0: off
 */
public record OptimizerOptions(
    String name,
    double learningRate,
    double momentum,
    double beta1,
    double beta2,
    double epsilon,
    double weightDecay,
    double trustCoefficient,
    String exclude,
    double clipNorm)
    implements Serializable {

  /** The optimizers {@link #create} knows, by name. */
  public static final java.util.List<String> NAMES = OptimizerKind.names();

  /** LARS η of the paper. */
  public static final double DEFAULT_TRUST = 1e-3;

  /** The {@code exclude} value that excludes no tensor. */
  public static final String EXCLUDE_NOTHING = "none";

  /** sgd or adam without weight decay, clipping or exclusions to speak of. */
  public OptimizerOptions(String name, double learningRate, double momentum, double beta1,
      double beta2, double epsilon) {
    this(name, learningRate, momentum, beta1, beta2, epsilon, defaultWeightDecay(name),
        DEFAULT_TRUST, TensorTable.DEFAULT_EXCLUDE, 0);
  }

  /** The papers' ε: Adam 1e-8, LAMB 1e-6, LARS 0 ({@link OptimizerKind#defaultEpsilon}). */
  public static double defaultEpsilon(String name) {
    return OptimizerKind.named(name).defaultEpsilon();
  }

  /** The papers' weight decay: LARS 1e-4, LAMB 0.01; none for sgd and adam. */
  public static double defaultWeightDecay(String name) {
    return OptimizerKind.named(name).defaultWeightDecay();
  }

  /** The kind {@link #name} names. */
  public OptimizerKind kind() {
    return OptimizerKind.named(name);
  }

  /** The same options with the averaged gradient clipped to global L2 norm {@code norm}. */
  public OptimizerOptions withClipNorm(double norm) {
    return new OptimizerOptions(name, learningRate, momentum, beta1, beta2, epsilon, weightDecay,
        trustCoefficient, exclude, norm);
  }

  /** Builds the optimizer's update rule (its state is kept apart, see {@link OptimizerState}). */
  public ShardOptimizer create() {
    OptimizerKind kind = kind();
    if (weightDecay != 0 && !kind.takesWeightDecay()) {
      throw new IllegalArgumentException("optimizer.weight-decay: " + weightDecay + " with "
          + name + ", which has no weight decay here; use lars or lamb, or 0");
    }
    return kind.create(this);
  }

  /** The tensors of {@code tensors} as this optimizer treats them. */
  public TensorTable table(java.util.List<io.sparkzero.worker.model.ParamTensor> tensors) {
    return TensorTable.of(tensors, excludePattern(exclude));
  }

  /** {@code exclude} as a pattern; {@value #EXCLUDE_NOTHING} matches no tensor. */
  public static Pattern excludePattern(String exclude) {
    return Pattern.compile(exclude.equals(EXCLUDE_NOTHING) ? "(?!)" : exclude);
  }
}
