package io.sparkzero.worker.optim;

/**
 * The update rule of an optimizer over one contiguous region of the flat parameter vector, the
 * rank's shard (the whole vector at ZeRO stage 0). The rule holds hyper-parameters and the step
 * count only; its per-element state (momentum; Adam's moments) lives in an {@link OptimizerState},
 * on the heap, off-heap or on disk, and is handed to {@link #update} one window at a time.
 *
 * <p>One optimizer step is {@link #beginStep} followed by {@link #update} calls that together
 * cover the region's trained elements once, in any number of chunks: the caller streams the
 * shard through small arrays (see {@link ShardStepper}). Running statistics never reach the
 * optimizer: the stepper applies {@code p -= g} to them itself.
 */
public interface ShardOptimizer {

  /** State arrays per element: 1 for SGD with momentum, 2 for Adam. */
  int stateSlots();

  /** Starts the next step (step counts and bias corrections advance here) at this learning rate. */
  void beginStep(float learningRate);

  /**
   * Updates {@code length} trained elements with already averaged gradients: {@code
   * params[index..]} and {@code grads[index..]} are the elements whose state is {@code
   * state[k][stateIndex..]} for every slot k.
   */
  void update(float[] params, float[] grads, int index, float[][] state, int stateIndex,
      int length);

  /** Steps begun so far (Adam's bias correction uses it). */
  long stepCount();

  /** Restores the step count, together with the state's contents, when state is copied in. */
  void setStepCount(long steps);
}
