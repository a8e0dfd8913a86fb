package io.sparkzero.worker.optim;

/**
 * Stochastic gradient descent with heavy-ball momentum, as in PyTorch's {@code SGD(momentum=m)}:
 * {@code v = m*v + g; p -= lr*v}. Momentum 0 is plain SGD (the velocity slot is then kept but
 * stays equal to the last gradient). State slot: v.
 */
public final class SgdMomentum extends CountingRule {
  private final float momentum;
  private float learningRate;

  public SgdMomentum(float momentum) {
    this.momentum = momentum;
  }

  @Override
  public int stateSlots() {
    return 1;
  }

  @Override
  public void beginStep(float learningRate, TensorNorms norms) {
    this.learningRate = learningRate;
    steps++;
  }

  @Override
  public void update(float[] params, float[] grads, int index, float[][] state, int stateIndex,
      int length, int tensor) {
    float lr = learningRate;
    float mu = momentum;
    float[] velocity = state[0];
    int s = stateIndex;
    for (int j = index, end = index + length; j < end; j++, s++) {
      float v = mu * velocity[s] + grads[j];
      velocity[s] = v;
      params[j] -= lr * v;
    }
  }
}
