package io.sparkzero.worker.optim;

/**
 * LARS (You, Gitman and Ginsburg, "Large Batch Training of Convolutional Networks", 2017), with
 * momentum, per tensor:
 *
 * <pre>
 * trust = η·‖w‖ / (‖g‖ + β‖w‖ + ε)     (1 if ‖w‖ or ‖g‖ is 0, and for excluded tensors)
 * g ← g + βw                           (no decay for excluded tensors)
 * v ← m·v + γ·trust·g ;  w ← w − v
 * </pre>
 *
 * with η the trust coefficient, β the weight decay, m the momentum and γ the step's learning
 * rate. The norms are over whole tensors, summed across shards by the {@link ShardStepper}. State
 * slot: v.
 */
public final class Lars extends CountingRule {
  private final float momentum;
  private final float weightDecay;
  private final double trustCoefficient;
  private final double epsilon;
  private float[] stepFactor = new float[0]; // γ·trust per tensor
  private float[] decay = new float[0]; // β per tensor, 0 when excluded

  public Lars(float momentum, float weightDecay, double trustCoefficient, double epsilon) {
    this.momentum = momentum;
    this.weightDecay = weightDecay;
    this.trustCoefficient = trustCoefficient;
    this.epsilon = epsilon;
  }

  @Override
  public int stateSlots() {
    return 1;
  }

  @Override
  public boolean needsWeightNorms() {
    return true;
  }

  @Override
  public void beginStep(float learningRate, TensorNorms norms) {
    steps++;
    TensorTable table = norms.table();
    if (stepFactor.length != table.count()) {
      stepFactor = new float[table.count()];
      decay = new float[table.count()];
    }
    for (int t = 0; t < table.count(); t++) {
      stepFactor[t] = (float) (learningRate * trust(table.excluded(t), norms.weightSq(t),
          norms.gradSq(t)));
      decay[t] = table.excluded(t) ? 0f : weightDecay;
    }
  }

  /** The trust ratio of one tensor from its squared norms. */
  double trust(boolean excluded, double weightSq, double gradSq) {
    if (excluded || weightSq == 0 || gradSq == 0) {
      return 1;
    }
    double w = Math.sqrt(weightSq);
    double g = Math.sqrt(gradSq);
    return trustCoefficient * w / (g + weightDecay * w + epsilon);
  }

  @Override
  public void update(float[] params, float[] grads, int index, float[][] state, int stateIndex,
      int length, int tensor) {
    UpdateLoops.lars(params, grads, index, state[0], stateIndex, length, momentum,
        stepFactor[tensor], decay[tensor]);
  }
}
