package io.sparkzero.worker.optim;

/**
 * An optimizer that updates one contiguous region of the flat parameter vector, the rank's shard
 * (the whole vector at ZeRO stage 0). State is held only for that region, indexed from its start.
 *
 * <p>Each call to {@link #step} is one optimizer step: the caller passes the already averaged
 * gradient. Tensors of kind RUNNING_STAT are not optimized: their gradient slot holds the change
 * to subtract, see {@link RegionUpdate}.
 */
public interface ShardOptimizer {

  /**
   * Applies one step to {@code params[from, to)} with {@code grads[from, to)}.
   *
   * @param learningRate the learning rate for this step (schedules live outside the optimizer)
   * @param mask which elements are trained; the rest get {@code p -= g}
   */
  void step(float[] params, float[] grads, RegionUpdate mask, float learningRate);

  /** The optimizer's state arrays (e.g. momentum; Adam's first and second moments). */
  float[][] state();

  /** Steps taken so far (Adam's bias correction uses it). */
  long stepCount();

  /** Restores the step count, together with {@link #state()} contents, when state is copied in. */
  void setStepCount(long steps);
}
