package io.sparkzero.worker.optim;

/**
 * The update rule of an optimizer over one contiguous region of the flat parameter vector, the
 * rank's shard (the whole vector at ZeRO stage 0). The rule holds hyper-parameters and the step
 * count only; its per-element state (momentum; Adam's moments) lives in an {@link OptimizerState},
 * on the heap, off-heap or on disk, and is handed to {@link #update} one window at a time.
 *
 * <p>One optimizer step is {@link #beginStep} followed by {@link #update} calls that together
 * cover the region's trained elements once, in any number of chunks, each within one tensor: the
 * caller streams the shard through small arrays (see {@link ShardStepper}). Running statistics
 * never reach the optimizer: the stepper applies {@code p -= g} to them itself.
 *
 * <p>Layer-wise rules (LARS, LAMB) scale each tensor's update by a ratio of norms over the whole
 * tensor. LARS needs the norms of weights and gradients before its update ({@link
 * #needsWeightNorms}); LAMB needs the norm of its own update direction, so it runs a second sweep
 * ({@link #secondSweep}): the first updates the moments and sums ‖u‖² and ‖w‖² per tensor, the
 * caller sums those over the pieces of all ranks ({@link #sweepSums}), the second applies the
 * update.
 */
public interface ShardOptimizer {
  /** State arrays per element: 1 for SGD with momentum and LARS, 2 for Adam and LAMB. */
  int stateSlots();

  /** Whether {@link #beginStep}'s norms must include each tensor's ‖w‖². */
  default boolean needsWeightNorms() {
    return false;
  }

  /**
   * Starts the next step (step counts and bias corrections advance here) at this learning rate,
   * with the step's per-tensor norms.
   */
  void beginStep(float learningRate, TensorNorms norms);

  /**
   * Updates {@code length} trained elements of tensor {@code tensor} with already averaged
   * gradients: {@code params[index..]} and {@code grads[index..]} are the elements whose state is
   * {@code state[k][stateIndex..]} for every slot k. With a second sweep, the parameters must be
   * left as they are here.
   */
  void update(float[] params, float[] grads, int index, float[][] state, int stateIndex,
      int length, int tensor);

  /** Whether the step needs a second sweep over the region ({@link #apply}). */
  default boolean secondSweep() {
    return false;
  }

  /**
   * The per-tensor sums of the first sweep over the elements updated since the step began or the
   * previous call, which starts the next sums from zero: the caller takes them once per piece
   * ({@link StatPieces}) and adds the pieces' sums itself.
   */
  default float[] sweepSums() {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " has one sweep");
  }

  /** Starts the second sweep with the first sweep's sums over every piece of every rank. */
  default void beginSecondSweep(double[] sums) {}

  /** Second sweep: updates the parameters of {@code length} elements of {@code tensor}. */
  default void apply(float[] params, int index, float[][] state, int stateIndex, int length,
      int tensor) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " has one sweep");
  }

  /** Steps begun so far (Adam's bias correction uses it). */
  long stepCount();

  /** Restores the step count, together with the state's contents, when state is copied in. */
  void setStepCount(long steps);
}
