package io.sparkzero.worker.model;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;

/**
 * What {@link LayerwisePass} does around each layer during one pass: the caller's {@link
 * LayerHooks}, the check that the hooks left the unit's buffers bound, and, once a unit's gradient
 * is complete, its scaling to the batch mean and its regularization score. Layers without
 * parameters pass through.
 */
final class UnitWindows implements LayerwiseDriver.Windows {

  private final Map<Layer, UnitBinding> unitOfLayer;
  private final List<UnitBinding> inLayerOrder;
  private final LayerHooks hooks;
  private final long batchSize;
  private final double[] regularization;

  /**
   * @param unitOfLayer the units by layer identity
   * @param inLayerOrder the units in the network's layer order
   */
  UnitWindows(
      Map<Layer, UnitBinding> unitOfLayer,
      List<UnitBinding> inLayerOrder,
      LayerHooks hooks,
      long batchSize) {
    this.unitOfLayer = unitOfLayer;
    this.inLayerOrder = inLayerOrder;
    this.hooks = hooks;
    this.batchSize = batchSize;
    this.regularization = new double[inLayerOrder.size()];
  }

  @Override
  public void beforeForward(Layer layer) {
    UnitBinding unit = unitOfLayer.get(layer);
    if (unit != null) {
      hooks.beforeForward(unit.index());
      unit.requireBound("forward", false);
    }
  }

  @Override
  public void afterForward(Layer layer) {
    UnitBinding unit = unitOfLayer.get(layer);
    if (unit != null) {
      hooks.afterForward(unit.index());
    }
  }

  @Override
  public void beforeBackward(Layer layer) {
    UnitBinding unit = unitOfLayer.get(layer);
    if (unit != null) {
      hooks.beforeBackward(unit.index());
      unit.requireBound("backward", true);
    }
  }

  @Override
  public void afterBackward(Layer layer) {
    UnitBinding unit = unitOfLayer.get(layer);
    if (unit != null) {
      unit.scaleToBatchMean(batchSize);
      // DL4J sums the regularization score after the whole backward pass; the parameters are
      // still bound here and have not changed since.
      regularization[unit.index()] = layer.calcRegularizationScore(true);
      hooks.afterBackward(unit.index());
    }
  }

  /**
   * The regularization term of the score, summed in the order of DL4J's {@code
   * calcRegularizationScore} (layers without parameters add 0), so the total is bit-identical.
   */
  double regularizationScore() {
    double sum = 0.0;
    for (UnitBinding unit : inLayerOrder) {
      sum += regularization[unit.index()];
    }
    return sum;
  }
}
