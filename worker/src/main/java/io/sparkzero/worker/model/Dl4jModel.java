package io.sparkzero.worker.model;

import io.sparkzero.worker.model.ParamTensor.Kind;
import io.sparkzero.worker.nd4j.ReachableOps;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * A {@link TrainableModel} over a DL4J {@code MultiLayerNetwork} or {@code ComputationGraph}.
 *
 * <p>{@link #computeGradient} runs DL4J's own forward and backward pass (no updater), then
 * divides the trained tensors' slots by the batch size: DL4J leaves the gradient of the summed
 * loss there and relies on its updater to divide (see the package documentation). Running-stat
 * slots are left as DL4J wrote them, the change {@code params -= grad} applies.
 */
public final class Dl4jModel implements TrainableModel {

  static {
    ReachableOps.install(); // before any step: see ReachableOpExecutioner
  }

  private final String name;
  private final Network network;
  private final INDArray params;
  private final List<ParamTensor> tensors;
  private INDArray gradients;
  private List<INDArray> meanScaledGradients;
  private boolean paramsReleased;
  private final int numFeatures;
  private final int numClasses;
  private List<ScaledLoss> scaledLosses; // 16-bit models: the output layers' losses, once wrapped

  private Dl4jModel(String name, Network network) {
    this.name = name;
    this.network = network;
    // Rank-1 views of DL4J's own flat arrays: same buffers, so they stay live.
    this.params = flat(network.flatParams());
    this.tensors = TensorLayout.of(params, network.layers());
    this.numFeatures = network.numFeatures();
    this.numClasses = network.numClasses();
  }

  /**
   * Wraps an initialized network, which this model then owns: do not train it elsewhere. Where
   * {@link OneDnnHelpers#enabled()}, its convolution, pooling and batch-norm layers get DL4J's
   * oneDNN layer helpers first (same gradients to float rounding, same layout).
   *
   * @param name model name reported by {@link #name()}
   * @param network a {@code MultiLayerNetwork} or a {@code ComputationGraph} with one input and
   *     one output, flat input ({@code InputType.feedForward} or {@code convolutionalFlat})
   */
  public static Dl4jModel wrap(String name, NeuralNetwork network) {
    return wrap(name, network, OneDnnHelpers.enabled());
  }

  /** {@link #wrap(String, NeuralNetwork)}, with or without the oneDNN layer helpers. */
  static Dl4jModel wrap(String name, NeuralNetwork network, boolean layerHelpers) {
    if (layerHelpers) {
      OneDnnHelpers.install(network, OneDnnHelpers.all());
    }
    return new Dl4jModel(name, adapter(name, network));
  }

  private static Network adapter(String name, NeuralNetwork network) {
    if (network instanceof MultiLayerNetwork net) {
      return new MultiLayerAdapter(net);
    }
    if (network instanceof ComputationGraph graph) {
      return new GraphAdapter(graph);
    }
    throw new IllegalArgumentException(
        "unsupported DL4J network type " + network.getClass().getName() + " for model " + name);
  }

  /**
   * A 16-bit copy of this model (DL4J's {@code HALF}: parameters, activations, gradients) for
   * mixed-precision training; the caller keeps the fp32 master parameters. DL4J's layers take
   * DOUBLE, FLOAT or HALF only: bfloat16 does not run.
   */
  @Override
  public Dl4jModel toHalfPrecision() {
    checkParams();
    return new Dl4jModel(name, adapter(name, network.converted(DataType.HALF)));
  }

  @Override
  public INDArray inputGradient(INDArray features, INDArray labels) {
    checkBatch(features, labels);
    checkParams();
    if (features.dataType() != params.dataType()) {
      features = features.castTo(params.dataType());
      labels = labels.castTo(params.dataType());
    }
    return network.inputGradient(features, labels);
  }

  /**
   * Makes each example weigh what its label row sums to ({@link ExampleWeightedLoss}): every
   * output or loss layer's loss is wrapped once; calling again changes nothing.
   */
  @Override
  public void weightExamplesByLabelSum() {
    wrapOutputLosses(loss -> loss instanceof ExampleWeightedLoss ? loss : new ExampleWeightedLoss(loss));
  }

  /**
   * Replaces the loss of every output or loss layer by {@code wrap} of it; the new losses, in
   * layer order.
   */
  private <T extends ILossFunction> List<T> wrapOutputLosses(java.util.function.Function<ILossFunction, T> wrap) {
    List<T> wrapped = new ArrayList<>();
    for (Network.NamedLayer named : network.layers()) {
      org.deeplearning4j.nn.conf.layers.Layer conf = named.layer().conf().getLayer();
      if (conf instanceof org.deeplearning4j.nn.conf.layers.BaseOutputLayer out) {
        T loss = wrap.apply(out.getLossFn());
        out.setLossFn(loss);
        wrapped.add(loss);
      } else if (conf instanceof org.deeplearning4j.nn.conf.layers.LossLayer out) {
        T loss = wrap.apply(out.getLossFn());
        out.setLossFn(loss);
        wrapped.add(loss);
      }
    }
    return wrapped;
  }

  /**
   * Whether the network's first layer looks its inputs up as ids (an embedding layer): such inputs
   * are not continuous, and a gradient step on them means nothing.
   */
  public boolean takesIds() {
    List<Network.NamedLayer> layers = network.layers();
    if (layers.isEmpty()) {
      return false;
    }
    org.deeplearning4j.nn.conf.layers.Layer first = layers.get(0).layer().conf().getLayer();
    return first instanceof org.deeplearning4j.nn.conf.layers.EmbeddingLayer
        || first instanceof org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
  }

  /** An fp32 model of this configuration, with the layer helpers this model's process uses. */
  @Override
  public Dl4jModel floatCopy() {
    return wrap(name, network.floatCopy());
  }

  @Override
  public boolean halfPrecision() {
    return params.dataType() == DataType.HALF;
  }

  @Override
  public void setLossScale(double scale) {
    if (!halfPrecision()) {
      TrainableModel.super.setLossScale(scale);
      return;
    }
    if (scaledLosses == null) {
      scaledLosses = wrapOutputLosses(ScaledLoss::new);
      if (scaledLosses.isEmpty()) {
        throw new IllegalStateException("model " + name + " has no output or loss layer whose"
            + " loss could carry the loss scale of mixed precision");
      }
    }
    for (ScaledLoss loss : scaledLosses) {
      loss.setScale(scale);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public long numParams() {
    return params.length();
  }

  @Override
  public INDArray params() {
    checkParams();
    return params;
  }

  @Override
  public long heldParamElements() {
    return paramsReleased ? 0 : params.length();
  }

  @Override
  public long heldGradientElements() {
    return network.allocatedGradientElements();
  }

  @Override
  public void releaseParams() {
    if (!paramsReleased) {
      paramsReleased = true;
      network.flatParams().close();
    }
  }

  @Override
  public double computeGradient(INDArray features, INDArray labels) {
    checkBatch(features, labels);
    checkParams();
    gradientView();
    if (features.dataType() != params.dataType()) { // a 16-bit model takes 16-bit inputs
      features = features.castTo(params.dataType());
      labels = labels.castTo(params.dataType());
    }
    INDArray f = features;
    INDArray l = labels;
    double meanLoss = TrainingPassConvHelper.during(network.layers(),
        () -> network.computeGradientAndScore(f, l));
    long batchSize = features.size(0);
    for (INDArray run : meanScaledGradients) {
      run.divi(batchSize);
    }
    return meanLoss;
  }

  @Override
  public INDArray gradientView() {
    if (gradients == null) {
      gradients = flat(network.flatGradients());
      meanScaledGradients = trainedRuns(gradients, tensors);
    }
    return gradients;
  }

  @Override
  public INDArray output(INDArray features) {
    checkParams();
    return network.output(features);
  }

  @Override
  public List<ParamTensor> tensors() {
    return tensors;
  }

  @Override
  public int numFeatures() {
    return numFeatures;
  }

  @Override
  public int numClasses() {
    return numClasses;
  }

  @Override
  public void save(OutputStream out) throws IOException {
    checkParams();
    network.save(out);
  }

  /** The wrapped network, for {@link LayerwisePass}. */
  Network network() {
    return network;
  }

  private void checkParams() {
    if (paramsReleased) {
      throw new IllegalStateException("model " + name + ": the full parameter vector was released"
          + " (ZeRO stage 3 keeps only a shard); it cannot be read, run or saved as a whole");
    }
  }

  /** Fails unless the batch has this model's feature and label widths. */
  void checkBatch(INDArray features, INDArray labels) {
    if (features.rank() != 2
        || features.size(1) != numFeatures
        || labels.rank() != 2
        || labels.size(1) != numClasses
        || labels.size(0) != features.size(0)) {
      throw new IllegalArgumentException(
          "model "
              + name
              + " expects features [batch, "
              + numFeatures
              + "] and labels [batch, "
              + numClasses
              + "], got "
              + Arrays.toString(features.shape())
              + " and "
              + Arrays.toString(labels.shape()));
    }
  }

  private static INDArray flat(INDArray array) {
    return array.rank() == 1 ? array : array.reshape(array.length());
  }

  /** Views of the gradient over maximal runs of adjacent tensors that are not running stats. */
  private static List<INDArray> trainedRuns(INDArray gradients, List<ParamTensor> tensors) {
    List<INDArray> runs = new ArrayList<>();
    long start = -1;
    long end = -1;
    for (ParamTensor t : tensors) {
      if (t.kind() == Kind.RUNNING_STAT) {
        if (start >= 0) {
          runs.add(gradients.get(NDArrayIndex.interval(start, end)));
        }
        start = -1;
      } else {
        if (start < 0) {
          start = t.offset();
        }
        end = t.offset() + t.length();
      }
    }
    if (start >= 0) {
      runs.add(gradients.get(NDArrayIndex.interval(start, end)));
    }
    return List.copyOf(runs);
  }
}
