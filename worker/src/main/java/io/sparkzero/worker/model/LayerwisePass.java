package io.sparkzero.worker.model;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Drives a {@link Dl4jModel}'s network one parameterized layer (a <i>unit</i>) at a time, with
 * {@link LayerHooks} between layers, on parameter and gradient buffers that the caller owns and
 * swaps: what a ZeRO stage-3 engine needs to gather a layer just before it runs and reduce-scatter
 * its gradient as soon as it is final.
 *
 * <p>Units are the layers with parameters, in flat-vector order: unit {@code k} is the k-th
 * parameterized layer by offset. Layers without parameters (pooling, activations, element-wise
 * vertices) still run, without hooks. Right after creation every unit is bound to views of the
 * model's own {@link TrainableModel#params()}, and to views of its {@link
 * TrainableModel#gradientView()} if that was allocated (by calling it) before: the model
 * allocates its full gradient only on demand, so ZeRO stages 2 and 3, which bind a buffer per
 * layer, never hold one.
 *
 * <p>Binding hands the layer to the caller's buffer: while a unit is bound elsewhere the model's
 * flat vectors no longer back that layer, so use only this pass to train it, and call {@link
 * #restoreModelBuffers()} before the model's own {@code computeGradient}, {@code output} or {@code
 * save}. One pass per model, used by one thread. See the package documentation for how the pass
 * follows DL4J.
 */
public final class LayerwisePass {

  private final Dl4jModel model;
  private final List<UnitBinding> bindings;
  private final List<LayerUnit> units;
  private final Map<Layer, UnitBinding> unitOfLayer = new IdentityHashMap<>();
  private final List<UnitBinding> inLayerOrder;
  private final LayerwiseDriver driver;
  private final org.nd4j.linalg.api.buffer.DataType dataType;
  private INDArray parking;

  private LayerwisePass(Dl4jModel model) {
    this.model = model;
    this.bindings = UnitBinding.of(model);
    List<LayerUnit> list = new ArrayList<>();
    for (UnitBinding binding : bindings) {
      unitOfLayer.put(binding.layer(), binding);
      list.add(binding.unit());
    }
    this.units = List.copyOf(list);
    this.inLayerOrder = inLayerOrder(model.network(), unitOfLayer);
    this.driver = model.network().layerwiseDriver();
    this.dataType = model.params().dataType();
  }

  /**
   * Takes over {@code model}'s layers for layer-at-a-time training.
   *
   * @param model a model from {@link ModelZoo} or {@link Dl4jModel#wrap}
   * @throws IllegalArgumentException for another implementation, or a network with frozen layers,
   *     truncated BPTT or no output layer
   */
  public static LayerwisePass of(TrainableModel model) {
    if (!(model instanceof Dl4jModel dl4j)) {
      throw new IllegalArgumentException(
          "layer-at-a-time training needs a DL4J model (Dl4jModel), got "
              + model.getClass().getName()
              + " for model "
              + model.name());
    }
    return new LayerwisePass(dl4j);
  }

  /** Number of parameterized layers. */
  public int unitCount() {
    return units.size();
  }

  /** Unit {@code index}: its name and its range in the flat parameter vector. */
  public LayerUnit unit(int index) {
    return units.get(index);
  }

  /** All units, in flat-vector order (index = unit number). */
  public List<LayerUnit> units() {
    return units;
  }

  /**
   * Points unit {@code unit}'s parameters at {@code flat}, which the layer then reads in place (it
   * copies nothing and never writes to it).
   *
   * @param flat rank 1, the model's data type (FLOAT), exactly {@code unit(unit).length()}
   *     contiguous elements, laid out like the unit's slice of the flat parameter vector
   */
  public void bindParams(int unit, INDArray flat) {
    bindings.get(unit).bindParams(flat);
  }

  /**
   * Points unit {@code unit}'s gradient at {@code flat}: its backward overwrites every element (no
   * need to zero it), laid out like the unit's slice of the flat gradient vector.
   *
   * @param flat rank 1, the model's data type, exactly {@code unit(unit).length()} contiguous
   *     elements
   */
  public void bindGradients(int unit, INDArray flat) {
    bindings.get(unit).bindGradients(flat);
  }

  /**
   * Drops the layer's references to the caller's parameter buffer, so it can be freed or reused;
   * running the unit before the next {@link #bindParams} fails. Released units share one parking
   * buffer of the largest unit's length, allocated on first use.
   */
  public void releaseParams(int unit) {
    bindings.get(unit).releaseParams(parking());
  }

  /** Like {@link #releaseParams} for the gradient buffer. */
  public void releaseGradients(int unit) {
    bindings.get(unit).releaseGradients(parking());
  }

  /**
   * Binds every unit back to views of the model's own parameter and gradient vectors, which hold
   * whatever they held before: copy the current parameters in ({@link TrainableModel#setParams})
   * before relying on the model's own methods.
   */
  public void restoreModelBuffers() {
    for (int k = 0; k < units.size(); k++) {
      LayerUnit unit = units.get(k);
      INDArrayIndex range = NDArrayIndex.interval(unit.from(), unit.to());
      bindParams(k, model.params().get(range));
      bindGradients(k, model.gradientView().get(range));
    }
  }

  /**
   * One training forward and backward pass, unit by unit, calling {@code hooks} in the order {@link
   * LayerHooks} documents. Afterwards each unit's gradient buffer holds the same values {@link
   * TrainableModel#computeGradient} leaves in its slice of the gradient view.
   *
   * @param features {@code [batch, numFeatures]}
   * @param labels one-hot {@code [batch, numClasses]}
   * @return the batch-mean loss
   */
  public double computeGradient(INDArray features, INDArray labels, LayerHooks hooks) {
    model.checkBatch(features, labels);
    if (features.dataType() != dataType) { // a 16-bit model takes 16-bit inputs
      features = features.castTo(dataType);
      labels = labels.castTo(dataType);
    }
    UnitWindows windows = new UnitWindows(unitOfLayer, inLayerOrder, hooks, features.size(0));
    INDArray f = features;
    INDArray l = labels;
    double loss = TrainingPassConvHelper.during(model.network().layers(),
        () -> driver.forwardBackward(f, l, windows));
    return loss + windows.regularizationScore();
  }

  private INDArray parking() {
    if (parking == null) {
      long longest = units.stream().mapToLong(LayerUnit::length).max().orElse(0);
      parking = Nd4j.valueArrayOf(new long[] {longest}, Float.NaN, dataType);
    }
    return parking;
  }

  /** The units in DL4J's layer order, which is the order it sums regularization scores in. */
  private static List<UnitBinding> inLayerOrder(
      Network network, Map<Layer, UnitBinding> unitOfLayer) {
    List<UnitBinding> order = new ArrayList<>();
    for (Network.NamedLayer named : network.layers()) {
      UnitBinding unit = unitOfLayer.get(named.layer());
      if (unit != null) {
        order.add(unit);
      }
    }
    return List.copyOf(order);
  }
}
