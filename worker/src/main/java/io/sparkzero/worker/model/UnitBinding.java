package io.sparkzero.worker.model;

import io.sparkzero.worker.model.ParamTensor.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.nn.layers.FrozenLayerWithBackprop;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Points one DL4J layer at parameter and gradient buffers owned by the caller, the way DL4J points
 * it at views of the network's flat vectors. {@code Layer.instantiate} builds the parameter table
 * with the layer's ParamInitializer ({@code init(conf, view, false)} only makes views of {@code
 * view}) and sets the flat view; {@code initGradientsView} calls {@code
 * setBackpropGradientsViewArray}, which makes the per-key gradient views with {@code
 * getGradientsFromFlattened}. Layers read parameters only through that table (BaseLayer {@code
 * getParam}, BatchNormalization {@code params.get}, also for the running statistics in backward)
 * and write gradients only into those views, so redoing both moves the layer onto new memory.
 *
 * <p>A released unit is bound to a slice of a shared parking buffer rather than to nothing:
 * BaseLayer checks every new parameter or gradient view against the length of the current parameter
 * table, so the table must keep its full length.
 */
final class UnitBinding {

  private final int index;
  private final LayerUnit unit;
  private final Layer layer;
  private final DataType dataType;
  private final List<ParamTensor> trained;
  private INDArray gradients;
  private boolean paramsBound = true;
  private boolean gradientsBound; // false until bound when the model's gradient was never allocated

  private UnitBinding(int index, LayerUnit unit, Layer layer, Dl4jModel model) {
    this.index = index;
    this.unit = unit;
    this.layer = layer;
    this.dataType = model.params().dataType();
    this.trained = trainedTensors(unit, model.tensors());
    this.gradients = layer.getGradientsViewArray();
    this.gradientsBound = gradients != null;
  }

  /** One binding per parameterized layer of {@code model}, in flat-vector order. */
  static List<UnitBinding> of(Dl4jModel model) {
    INDArray flat = model.params();
    List<Network.NamedLayer> layers = new ArrayList<>();
    for (Network.NamedLayer named : model.network().layers()) {
      if (named.layer() instanceof FrozenLayer
          || named.layer() instanceof FrozenLayerWithBackprop) {
        throw new IllegalArgumentException(
            "layer " + named.prefix() + " is frozen: frozen layers cannot run layer by layer");
      }
      if (named.layer().numParams() > 0) {
        if (named.layer().params().data().address() != flat.data().address()) {
          throw new IllegalStateException(
              "layer "
                  + named.prefix()
                  + " no longer reads the model's parameter vector: create "
                  + "the LayerwisePass before binding, one per model");
        }
        layers.add(named);
      }
    }
    layers.sort(Comparator.comparingLong(named -> offsetOf(named.layer(), flat)));
    List<UnitBinding> bindings = new ArrayList<>();
    long next = 0;
    for (Network.NamedLayer named : layers) {
      long from = offsetOf(named.layer(), flat);
      if (from != next) {
        throw new IllegalStateException(
            "layer " + named.prefix() + " starts at " + from + ", expected " + next);
      }
      next = from + named.layer().numParams();
      LayerUnit unit = new LayerUnit(named.prefix(), from, next);
      bindings.add(new UnitBinding(bindings.size(), unit, named.layer(), model));
    }
    if (next != flat.length()) {
      throw new IllegalStateException("layers cover " + next + " of " + flat.length() + " params");
    }
    return List.copyOf(bindings);
  }

  int index() {
    return index;
  }

  LayerUnit unit() {
    return unit;
  }

  Layer layer() {
    return layer;
  }

  void bindParams(INDArray flat) {
    checkBuffer(flat, "parameter");
    attachParams(flat);
    paramsBound = true;
  }

  void bindGradients(INDArray flat) {
    checkBuffer(flat, "gradient");
    attachGradients(flat);
    gradientsBound = true;
  }

  /** Detaches the parameters from the caller's buffer; {@code parking} outlives every unit. */
  void releaseParams(INDArray parking) {
    attachParams(parking.get(NDArrayIndex.interval(0, unit.length())));
    paramsBound = false;
  }

  /** Detaches the gradient from the caller's buffer; {@code parking} outlives every unit. */
  void releaseGradients(INDArray parking) {
    attachGradients(parking.get(NDArrayIndex.interval(0, unit.length())));
    gradientsBound = false;
  }

  /** Fails unless the buffers {@code phase} reads are bound, naming the hook that should. */
  void requireBound(String phase, boolean needsGradients) {
    String missing =
        !paramsBound ? "parameters" : needsGradients && !gradientsBound ? "gradient buffer" : null;
    if (missing != null) {
      throw new IllegalStateException(
          "unit "
              + index
              + " ("
              + unit.name()
              + ") runs its "
              + phase
              + " with its "
              + missing
              + " released or never bound: bind it before then, e.g. in LayerHooks.before"
              + Character.toUpperCase(phase.charAt(0))
              + phase.substring(1));
    }
  }

  /** Divides the trained slots by the batch size, as {@link Dl4jModel#computeGradient} does. */
  void scaleToBatchMean(long batchSize) {
    for (ParamTensor t : trained) {
      gradients.get(NDArrayIndex.interval(t.offset(), t.offset() + t.length())).divi(batchSize);
    }
  }

  private void attachParams(INDArray flat) {
    NeuralNetConfiguration conf = layer.conf();
    layer.setParamTable(conf.getLayer().initializer().init(conf, flat, false));
    layer.setParamsViewArray(flat);
  }

  private void attachGradients(INDArray flat) {
    layer.setBackpropGradientsViewArray(flat);
    gradients = flat;
  }

  private void checkBuffer(INDArray flat, String what) {
    if (flat == null
        || flat.rank() != 1
        || flat.length() != unit.length()
        || flat.dataType() != dataType
        || (flat.length() > 1 && flat.stride(0) != 1)) {
      throw new IllegalArgumentException(
          "unit "
              + index
              + " ("
              + unit.name()
              + ") takes a "
              + what
              + " buffer of rank 1, "
              + dataType
              + ", "
              + unit.length()
              + " contiguous elements; got "
              + (flat == null
                  ? "null"
                  : flat.dataType()
                      + " "
                      + Arrays.toString(flat.shape())
                      + " stride "
                      + Arrays.toString(flat.stride())));
    }
  }

  private static long offsetOf(Layer layer, INDArray flat) {
    return layer.params().offset() - flat.offset();
  }

  /** The unit's trained tensors, offsets relative to the unit. */
  private static List<ParamTensor> trainedTensors(LayerUnit unit, List<ParamTensor> tensors) {
    List<ParamTensor> out = new ArrayList<>();
    for (ParamTensor t : tensors) {
      if (t.offset() >= unit.from() && t.offset() < unit.to() && t.kind() != Kind.RUNNING_STAT) {
        out.add(new ParamTensor(t.name(), t.offset() - unit.from(), t.length(), t.kind()));
      }
    }
    return List.copyOf(out);
  }
}
