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
    UpdateLoops.sgd(params, grads, index, state[0], stateIndex, length, momentum, learningRate);
  }
}
