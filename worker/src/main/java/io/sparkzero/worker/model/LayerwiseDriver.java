package io.sparkzero.worker.model;

import org.deeplearning4j.nn.api.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runs one training forward and backward pass of a DL4J network one layer at a time, in the order
 * DL4J's own {@code computeGradientAndScore} uses, calling {@link Windows} around each layer. One
 * implementation per DL4J network type, like {@link Network}.
 */
interface LayerwiseDriver {

  /**
   * Forward in training mode through every layer and vertex, then backward in reverse order, with
   * no DL4J workspaces. Leaves DL4J's raw gradient (summed over the batch) in each layer's gradient
   * views, and no activations in the layers.
   *
   * @return the batch-mean loss without the regularization term (see {@link Windows})
   */
  double forwardBackward(INDArray features, INDArray labels, Windows windows);

  /**
   * What runs around each layer (parameterized or not) of the pass. The output layer's forward only
   * records its input, as in DL4J, which computes the output layer's pre-activations in its
   * backward; the loss is computed inside the output layer's backward window, while its parameters
   * are still bound.
   */
  interface Windows {

    void beforeForward(Layer layer);

    void afterForward(Layer layer);

    void beforeBackward(Layer layer);

    /** The layer's parameter gradient is complete (its input epsilon may not be yet). */
    void afterBackward(Layer layer);
  }
}
