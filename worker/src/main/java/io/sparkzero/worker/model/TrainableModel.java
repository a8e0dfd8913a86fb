package io.sparkzero.worker.model;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A DL4J network seen as one flat parameter vector and one flat gradient vector, which is all the
 * training engine needs. Implementations wrap a {@code MultiLayerNetwork} or a
 * {@code ComputationGraph}; one instance is used by one thread.
 */
public interface TrainableModel {

  /** Model name, e.g. {@code fmnist-cnn}. */
  String name();

  /** Number of elements in {@link #params()}. */
  long numParams();

  /** The live flat parameter vector (rank 1, {@link #numParams()} elements). */
  INDArray params();

  /**
   * Runs forward and backward on one batch in training mode. Afterwards {@link #gradientView()}
   * holds the gradient of the batch-mean loss (running statistics: the change to subtract).
   *
   * @param features {@code [batch, numFeatures]}
   * @param labels one-hot {@code [batch, numClasses]}
   * @return the batch-mean loss
   */
  double computeGradient(INDArray features, INDArray labels);

  /** The live flat gradient vector (rank 1), aligned with {@link #params()}. */
  INDArray gradientView();

  /**
   * Frees the full parameter vector (ZeRO stage 3 keeps only a shard and binds each layer to a
   * gathered buffer before it runs). Afterwards {@link #params()}, {@link #output} and
   * {@link #computeGradient} must not be used.
   */
  void releaseParams();

  /** Parameter elements this model holds in memory now: {@link #numParams()}, 0 once released. */
  long heldParamElements();

  /**
   * Gradient elements this model holds in memory now: the full gradient once something asked for
   * it ({@link #gradientView()}, {@link #computeGradient}), else 0.
   */
  long heldGradientElements();

  /**
   * The gradient of each example's loss with respect to its features, {@code [batch,
   * numFeatures]}, from a training-mode forward and backward pass (what an attack follows). The
   * parameters are not changed, nor is {@link #gradientView()}'s content promised.
   *
   * @throws UnsupportedOperationException when the model cannot give it
   */
  default INDArray inputGradient(INDArray features, INDArray labels) {
    throw new UnsupportedOperationException("model " + name() + " gives no gradient with respect to its inputs");
  }

  /**
   * A new fp32 model of this model's configuration, its parameters freshly initialised (set them
   * with {@link #setParams}): an attacker's network, used by another thread while this one trains.
   * Works after {@link #releaseParams()}.
   */
  default TrainableModel floatCopy() {
    throw new UnsupportedOperationException("model " + name() + " cannot be copied");
  }

  /**
   * From now on each training example weighs what its label row sums to (a row {@code w ·
   * onehot(y)} counts w times), so the batch loss is {@code Σ w_i l_i / n}.
   */
  default void weightExamplesByLabelSum() {
    throw new UnsupportedOperationException("model " + name() + " cannot weigh its examples");
  }

  /** Inference-mode class probabilities {@code [batch, numClasses]}. */
  INDArray output(INDArray features);

  /** The named tensors of the flat vector, in order, covering it exactly. */
  List<ParamTensor> tensors();

  /** Number of input features per example (e.g. 784). */
  int numFeatures();

  /** Number of output classes. */
  int numClasses();

  /** Writes the network (configuration and parameters) as a DL4J model file. */
  void save(OutputStream out) throws IOException;

  /**
   * A 16-bit copy of this model for mixed-precision training (the trainer keeps fp32 master
   * parameters).
   */
  default TrainableModel toHalfPrecision() {
    throw new UnsupportedOperationException("model " + name() + " has no 16-bit form");
  }

  /** Whether parameters, activations and gradients are 16-bit floats (mixed precision). */
  default boolean halfPrecision() {
    return false;
  }

  /**
   * Multiplies the loss's gradient by {@code scale} in the backward passes that follow (dynamic
   * loss scaling of 16-bit models); full-precision models take only 1.
   */
  default void setLossScale(double scale) {
    if (scale != 1) {
      throw new IllegalStateException("loss scale " + scale + " on a full-precision model");
    }
  }

  /**
   * Copies the parameters into {@code dst} in one bulk copy (see {@link FlatFloats}).
   *
   * @param dst array of exactly {@link #numParams()} floats
   */
  default void copyParamsTo(float[] dst) {
    FlatFloats.copyTo(params(), dst);
  }

  /**
   * Overwrites the parameters with {@code src} in one bulk copy (see {@link FlatFloats}).
   *
   * @param src array of exactly {@link #numParams()} floats
   */
  default void setParams(float[] src) {
    FlatFloats.copyFrom(src, params());
  }

  /**
   * Copies the gradient left by the last {@link #computeGradient} into {@code dst}.
   *
   * @param dst array of exactly {@link #numParams()} floats
   */
  default void copyGradientTo(float[] dst) {
    FlatFloats.copyTo(gradientView(), dst);
  }
}
