package io.sparkzero.worker.optim;

import java.io.Serializable;

/**
 * Which optimizer a rank builds and its hyper-parameters. Validated by the driver's option
 * registry before anything starts.
 *
 * @param name {@code sgd} (with momentum) or {@code adam}
 * @param learningRate base learning rate
 * @param momentum SGD momentum in {@code [0, 1)}
 * @param beta1 Adam first-moment decay
 * @param beta2 Adam second-moment decay
 * @param epsilon Adam denominator term
 */
public record OptimizerOptions(
    String name, double learningRate, double momentum, double beta1, double beta2, double epsilon)
    implements Serializable {

  /** Builds the optimizer's update rule (its state is kept apart, see {@link OptimizerState}). */
  public ShardOptimizer create() {
    return switch (name) {
      case "sgd" -> new SgdMomentum((float) momentum);
      case "adam" -> new Adam((float) beta1, (float) beta2, (float) epsilon);
      default -> throw new IllegalArgumentException(
          "optimizer.name: '" + name + "' is not known; allowed: sgd, adam");
    };
  }
}
