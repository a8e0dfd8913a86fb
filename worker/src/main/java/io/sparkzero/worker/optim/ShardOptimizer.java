package io.sparkzero.worker.optim;

/**
 * An optimizer over one contiguous region of the flat parameter vector, the rank's shard (the
 * whole vector at ZeRO stage 0). State is held only for that region, indexed from its start.
 *
 * <p>One optimizer step is {@link #beginStep} followed by {@link #update} calls that together
 * cover the region's trained elements once, in any number of chunks: the caller streams the
 * shard through small arrays (see {@link ShardStepper}), so parameters and gradients may live in
 * native memory or, later, on disk. Running statistics never reach the optimizer: the stepper
 * applies {@code p -= g} to them itself.
 */
public interface ShardOptimizer {

  /** Starts the next step (step counts and bias corrections advance here) at this learning rate. */
  void beginStep(float learningRate);

  /**
   * Updates trained elements with already averaged gradients: {@code params[index, index+length)}
   * and {@code grads[index, index+length)} are the flat vector's elements {@code [at, at+length)},
   * which lie inside the optimizer's region.
   */
  void update(float[] params, float[] grads, int index, int length, int at);

  /** The optimizer's state arrays (e.g. momentum; Adam's first and second moments). */
  float[][] state();

  /** Bytes of {@link #state()}, for the model-state accounting. */
  default long stateBytes() {
    long floats = 0;
    for (float[] s : state()) {
      floats += s.length;
    }
    return floats * Float.BYTES;
  }

  /** Steps begun so far (Adam's bias correction uses it). */
  long stepCount();

  /** Restores the step count, together with {@link #state()} contents, when state is copied in. */
  void setStepCount(long steps);
}
