package io.sparkzero.worker.model;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * An output layer's loss in which each example weighs as much as its label row sums to: a row
 * {@code w · onehot(y)} is example y with weight w. The rows are normalised to sum 1 and the
 * weights become a per-example mask (DL4J's losses multiply score and gradient by it), so the
 * batch loss is {@code Σ w_i l_i / n}. Adversarial steps mark their rows this way ({@code
 * adv.weight}), which needs no change to any stage's step. Rows that sum to 1 are untouched.
 * Set on the layer's configuration by {@link Dl4jModel#weightExamplesByLabelSum}; never saved
 * (model files are written from a freshly built network).
 */
final class ExampleWeightedLoss implements ILossFunction {
  private static final long serialVersionUID = 1L;

  private final ILossFunction inner;

  ExampleWeightedLoss(ILossFunction inner) {
    this.inner = inner;
  }

  @Override
  public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn,
      INDArray mask, boolean average) {
    INDArray weights = weights(labels);
    return inner.computeScore(normalised(labels, weights), preOutput, activationFn, mask(mask, weights), average);
  }

  @Override
  public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn,
      INDArray mask) {
    INDArray weights = weights(labels);
    return inner.computeScoreArray(normalised(labels, weights), preOutput, activationFn, mask(mask, weights));
  }

  @Override
  public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn,
      INDArray mask) {
    INDArray weights = weights(labels);
    return inner.computeGradient(normalised(labels, weights), preOutput, activationFn, mask(mask, weights));
  }

  @Override
  public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
      IActivation activationFn, INDArray mask, boolean average) {
    INDArray weights = weights(labels);
    return inner.computeGradientAndScore(normalised(labels, weights), preOutput, activationFn,
        mask(mask, weights), average);
  }

  /** Each row's sum, {@code [batch, 1]}. */
  private static INDArray weights(INDArray labels) {
    return labels.sum(true, 1);
  }

  private static INDArray normalised(INDArray labels, INDArray weights) {
    return labels.divColumnVector(weights);
  }

  private static INDArray mask(INDArray mask, INDArray weights) {
    if (mask == null) {
      return weights;
    }
    return mask.size(1) == 1 ? mask.mul(weights) : mask.mulColumnVector(weights);
  }

  @Override
  public String name() {
    return inner.name() + " x example weight";
  }
}
