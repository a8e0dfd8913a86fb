package io.sparkzero.worker.optim;

/**
 * Adam (Kingma and Ba), with the update written as PyTorch writes it, so runs compare with the
 * PyTorch peer: {@code m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*g^2;
 * p -= lr * (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)}. No weight decay. State slots: m, v.
 */
public final class Adam extends CountingRule {
  private final float beta1;
  private final float beta2;
  private final float epsilon;
  private float stepSize;
  private float invSqrtBias2;

  public Adam(float beta1, float beta2, float epsilon) {
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
  }

  @Override
  public int stateSlots() {
    return 2;
  }

  @Override
  public void beginStep(float learningRate, TensorNorms norms) {
    long t = ++steps;
    stepSize = (float) (learningRate / (1 - Math.pow(beta1, t)));
    invSqrtBias2 = (float) (1 / Math.sqrt(1 - Math.pow(beta2, t)));
  }

  @Override
  public void update(float[] params, float[] grads, int index, float[][] state, int stateIndex,
      int length, int tensor) {
    UpdateLoops.adam(params, grads, index, state[0], state[1], stateIndex, length, beta1, beta2,
        epsilon, stepSize, invSqrtBias2);
  }
}
