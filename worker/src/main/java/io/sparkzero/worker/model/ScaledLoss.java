package io.sparkzero.worker.model;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * An output layer's loss whose gradient is multiplied by the loss scale, as if the loss itself
 * were: the backward pass of a 16-bit network then carries gradients S times larger, out of the
 * range where small values flush to zero. The score stays unscaled (it is only reported). Set
 * on the layer's configuration by {@link Dl4jModel#setLossScale}; never saved (model files are
 * written from a freshly built fp32 network).
 */
final class ScaledLoss implements ILossFunction {
  private static final long serialVersionUID = 1L;

  private final ILossFunction inner;
  private double scale = 1;

  ScaledLoss(ILossFunction inner) {
    this.inner = inner;
  }

  void setScale(double scale) {
    this.scale = scale;
  }

  @Override
  public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn,
      INDArray mask, boolean average) {
    return inner.computeScore(labels, preOutput, activationFn, mask, average);
  }

  @Override
  public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn,
      INDArray mask) {
    return inner.computeScoreArray(labels, preOutput, activationFn, mask);
  }

  @Override
  public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn,
      INDArray mask) {
    return scaled(inner.computeGradient(labels, preOutput, activationFn, mask));
  }

  @Override
  public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
      IActivation activationFn, INDArray mask, boolean average) {
    Pair<Double, INDArray> p =
        inner.computeGradientAndScore(labels, preOutput, activationFn, mask, average);
    return new Pair<>(p.getFirst(), scaled(p.getSecond()));
  }

  private INDArray scaled(INDArray gradient) {
    return scale == 1 ? gradient : gradient.muli(scale);
  }

  @Override
  public String name() {
    return inner.name() + " x loss scale";
  }
}
