package io.sparkzero.worker.model;

/**
 * Callbacks around each unit of a {@link LayerwisePass}: the points where a ZeRO stage-3 engine
 * gathers a layer's parameters, releases them, gathers them again and reduce-scatters the layer's
 * gradient. All four run on the thread that called {@link LayerwisePass#computeGradient}.
 *
 * <p>Order within one pass: {@code beforeForward(k)} and {@code afterForward(k)} for every unit in
 * ascending order, then {@code beforeBackward(k)} and {@code afterBackward(k)} for every unit in
 * descending order, each exactly once. A unit's layer reads only the buffers bound to it between
 * its before and after calls, so a hook may bind a unit's buffers in {@code before*} and release or
 * rebind them in {@code after*}.
 */
public interface LayerHooks {

  /** Hooks that do nothing: the pass runs on whatever buffers are bound. */
  LayerHooks NONE = new LayerHooks() {};

  /** The unit's forward is next: its parameters must be bound when this returns. */
  default void beforeForward(int unit) {}

  /** The unit's forward is done: it reads its parameters again only in its backward. */
  default void afterForward(int unit) {}

  /** The unit's backward is next: its parameters and gradient buffer must be bound. */
  default void beforeBackward(int unit) {}

  /**
   * The unit's gradient is final in the buffer bound with {@link LayerwisePass#bindGradients},
   * scaled to the batch-mean loss like {@link TrainableModel#computeGradient}; its parameters and
   * gradient buffer are not touched again in this pass.
   */
  default void afterBackward(int unit) {}
}
