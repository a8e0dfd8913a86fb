package io.sparkzero.worker.optim;

/**
 * Stochastic gradient descent with heavy-ball momentum, as in PyTorch's {@code SGD(momentum=m)}:
 * {@code v = m*v + g; p -= lr*v}. Momentum 0 is plain SGD (the velocity array is then kept but
 * stays equal to the last gradient).
 */
public final class SgdMomentum implements ShardOptimizer {
  private final float momentum;
  private final int regionFrom;
  private final float[] velocity;
  private long steps;
  private float learningRate;

  /** State for a region of {@code regionLength} elements starting at {@code regionFrom}. */
  public SgdMomentum(float momentum, int regionFrom, int regionLength) {
    this.momentum = momentum;
    this.regionFrom = regionFrom;
    this.velocity = new float[regionLength];
  }

  @Override
  public void beginStep(float learningRate) {
    this.learningRate = learningRate;
    steps++;
  }

  @Override
  public void update(float[] params, float[] grads, int index, int length, int at) {
    float lr = learningRate;
    float mu = momentum;
    int s = at - regionFrom;
    for (int j = index, end = index + length; j < end; j++, s++) {
      float v = mu * velocity[s] + grads[j];
      velocity[s] = v;
      params[j] -= lr * v;
    }
  }

  @Override
  public float[][] state() {
    return new float[][] {velocity};
  }

  @Override
  public long stepCount() {
    return steps;
  }

  @Override
  public void setStepCount(long steps) {
    this.steps = steps;
  }
}
