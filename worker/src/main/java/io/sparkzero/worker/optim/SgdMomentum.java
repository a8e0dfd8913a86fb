package io.sparkzero.worker.optim;

/**
 * Stochastic gradient descent with heavy-ball momentum, as in PyTorch's {@code SGD(momentum=m)}:
 * {@code v = m*v + g; p -= lr*v}. Momentum 0 is plain SGD (no state is then needed, but it is
 * kept for simplicity).
 */
public final class SgdMomentum implements ShardOptimizer {
  private final float momentum;
  private final int regionFrom;
  private final float[] velocity;
  private long steps;

  /** State for a region of {@code regionLength} elements starting at {@code regionFrom}. */
  public SgdMomentum(float momentum, int regionFrom, int regionLength) {
    this.momentum = momentum;
    this.regionFrom = regionFrom;
    this.velocity = new float[regionLength];
  }

  @Override
  public void step(float[] params, float[] grads, RegionUpdate mask, float learningRate) {
    mask.forEachRun(params, grads, (start, end) -> {
      int s = start - regionFrom;
      for (int j = start; j < end; j++, s++) {
        float v = momentum * velocity[s] + grads[j];
        velocity[s] = v;
        params[j] -= learningRate * v;
      }
    });
    steps++;
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
