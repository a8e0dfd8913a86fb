package io.sparkzero.worker.model;

import io.sparkzero.worker.model.ParamTensor.Kind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Finds the named tensors of a network's flat parameter vector.
 *
 * <p>Each layer's {@code paramTable(false)} holds views into the flat vector, in its
 * ParamInitializer's key order; a view's buffer offset minus the flat vector's is the tensor's
 * offset. Reading offsets from the views, rather than summing lengths, stays right for
 * ComputationGraphs, whose flat vector follows the topological order, not the vertex order. The
 * result is checked to tile the flat vector exactly, so a layout DL4J changes fails loudly here.
 */
final class TensorLayout {

  private TensorLayout() {}

  /** The tensors of {@code flatParams}, sorted by offset, covering it exactly. */
  static List<ParamTensor> of(INDArray flatParams, List<Network.NamedLayer> layers) {
    List<ParamTensor> tensors = new ArrayList<>();
    for (Network.NamedLayer named : layers) {
      Layer layer = named.layer();
      org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
      Map<String, INDArray> views = layer.paramTable(false);
      for (String key : conf.initializer().paramKeys(conf)) {
        INDArray view = views.get(key);
        if (view == null) {
          continue; // e.g. batch norm keeps either "var" or "log10stdev", not both
        }
        long offset = view.offset() - flatParams.offset();
        tensors.add(
            new ParamTensor(named.prefix() + "_" + key, offset, view.length(), kindOf(layer, key)));
      }
    }
    tensors.sort(Comparator.comparingLong(ParamTensor::offset));
    checkCovers(tensors, flatParams.length());
    return List.copyOf(tensors);
  }

  /**
   * The kind of one parameter. DL4J marks running statistics by excluding them from the
   * minibatch division; the ParamInitializer names weights and biases; what remains trained
   * (batch-norm gamma and beta, layer-norm gain) is a normalization parameter.
   */
  static Kind kindOf(Layer layer, String key) {
    if (!layer.updaterDivideByMinibatch(key)) {
      return Kind.RUNNING_STAT;
    }
    org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
    ParamInitializer initializer = conf.initializer();
    if (initializer.isWeightParam(conf, key)) {
      return Kind.WEIGHT;
    }
    if (initializer.isBiasParam(conf, key)) {
      return Kind.BIAS;
    }
    return Kind.NORM;
  }

  private static void checkCovers(List<ParamTensor> tensors, long numParams) {
    long next = 0;
    for (ParamTensor t : tensors) {
      if (t.offset() != next) {
        throw new IllegalStateException(
            "parameter tensors do not tile the flat vector: "
                + t.name()
                + " starts at "
                + t.offset()
                + ", expected "
                + next);
      }
      next += t.length();
    }
    if (next != numParams) {
      throw new IllegalStateException(
          "parameter tensors cover " + next + " of " + numParams + " parameters");
    }
  }
}
