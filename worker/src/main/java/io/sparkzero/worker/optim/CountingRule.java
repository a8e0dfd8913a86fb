package io.sparkzero.worker.optim;

/** The step count every {@link ShardOptimizer} keeps (bias corrections, checkpoints). */
abstract class CountingRule implements ShardOptimizer {
  /** Steps begun so far. */
  protected long steps;

  @Override
  public long stepCount() {
    return steps;
  }

  @Override
  public void setStepCount(long steps) {
    this.steps = steps;
  }
}
