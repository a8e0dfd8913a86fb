package io.sparkzero.worker.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The convolution helper that keeps the forward's pre-activations: a layer-by-layer pass convolves
 * once per layer instead of twice, with DL4J's gradient bit for bit (tolerance: none, the kept
 * copy is the forward's own result), and outside a pass nothing kept is ever read: inference and
 * DL4J's own training pass on other batches give what a model that never ran a pass gives.
 * Installed here explicitly, so the suite's run with the helpers off checks it too.
 */
class TrainingPassConvHelperTest {
  private static final int BATCH_SIZE = 8;
  /** A first convolution unlike the zoo's: 3 channels, stride 2, truncate mode, no bias, tanh. */
  private static final String STRIDED = "strided";

  @ParameterizedTest
  @ValueSource(strings = {"fmnist-cnn", "resnet", STRIDED})
  void aLayerwisePassConvolvesOncePerLayerAndGivesDl4jsGradient(String name) {
    assumeTrue(OneDnnHelpers.available(), "ND4J CPU backend with helpers allowed");
    TrainableModel reference = withHelpers(name);
    TrainableModel model = withHelpers(name);
    List<TrainingPassConvHelper> helpers = helpers(model);
    assertThat(helpers).as("convolution layers with the helper").isNotEmpty();
    LayerwisePass pass = LayerwisePass.of(model);
    pass.restoreModelBuffers(); // the model's own vectors, as DL4J's pass uses them
    Random random = new Random(3);

    for (int step = 0; step < 2; step++) {
      INDArray features = Batches.features(random, BATCH_SIZE, model.numFeatures());
      INDArray labels = Batches.oneHot(random, BATCH_SIZE, 10);
      long[] before = counts(helpers);
      double loss = pass.computeGradient(features, labels, LayerHooks.NONE);
      long[] after = counts(helpers);
      for (int i = 0; i < helpers.size(); i++) {
        assertThat(after[i] - before[i]).as("convolutions of layer %d in a pass", i).isEqualTo(1);
      }

      assertThat(loss).isEqualTo(reference.computeGradient(features, labels));
      assertBitIdentical(model.gradientView(), reference.gradientView(), "gradient");
    }
    long[] before = counts(helpers);
    INDArray features = Batches.features(random, BATCH_SIZE, model.numFeatures());
    model.computeGradient(features, Batches.oneHot(random, BATCH_SIZE, 10));
    long[] after = counts(helpers);
    for (int i = 0; i < helpers.size(); i++) {
      assertThat(after[i] - before[i]).as("Dl4jModel.computeGradient, DL4J's own pass armed")
          .isEqualTo(1);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"fmnist-cnn", "resnet", STRIDED})
  void afterAPassNothingKeptIsReadByInferenceOrDl4jsOwnPass(String name) {
    assumeTrue(OneDnnHelpers.available(), "ND4J CPU backend with helpers allowed");
    TrainableModel fresh = withHelpers(name);
    TrainableModel model = withHelpers(name);
    LayerwisePass pass = LayerwisePass.of(model);
    pass.restoreModelBuffers(); // the model's own vectors, as DL4J's pass uses them
    Random random = new Random(4);
    INDArray features = Batches.features(random, BATCH_SIZE, model.numFeatures());
    INDArray labels = Batches.oneHot(random, BATCH_SIZE, 10);
    pass.computeGradient(features, labels, LayerHooks.NONE);
    fresh.computeGradient(features, labels); // the same running statistics on both sides

    // The same features array again: the helper must not take its kept copy for this input.
    assertBitIdentical(model.output(features), fresh.output(features),
        "inference on the pass's batch");
    INDArray other = Batches.features(random, BATCH_SIZE, model.numFeatures());
    INDArray otherLabels = Batches.oneHot(random, BATCH_SIZE, 10);
    assertThat(model.computeGradient(other, otherLabels)).as("DL4J's pass on another batch")
        .isEqualTo(fresh.computeGradient(other, otherLabels));
    assertBitIdentical(model.gradientView(), fresh.gradientView(), "DL4J's gradient");
  }

  /**
   * Armed, the layer reading the features computes no input gradient, and its weight gradient is
   * oneDNN's up to the summation order; every other layer's gradient is the same bits; {@link
   * TrainableModel#inputGradient} (the attacks') still gets oneDNN's input gradient. Tolerance for
   * the first layer: 1e-4 of the tensor's largest magnitude. Both sides sum the same
   * batch x 28 x 28 = 6,272 products per element in fp32 in different orders; the worst case of
   * two such orders is 6,272 x 2^-24 = 3.7e-4 of the sum of magnitudes, and the sums here are
   * within a small factor of the largest element (observed: 1e-6 of it on fmnist-cnn, 8e-6 on resnet).
   */
  @ParameterizedTest
  @ValueSource(strings = {"fmnist-cnn", "resnet", STRIDED})
  void theFirstLayerSkipsItsInputGradientOnlyInTraining(String name) {
    assumeTrue(OneDnnHelpers.available(), "ND4J CPU backend with helpers allowed");
    TrainableModel model = withHelpers(name);
    Network network = ((Dl4jModel) model).network();
    Network.NamedLayer firstLayer = network.layers().stream()
        .filter(l -> l.layer().getHelper() instanceof TrainingPassConvHelper h
            && h.readsNetworkInput())
        .findFirst().orElseThrow();
    assertThat(helpers(model).stream().filter(TrainingPassConvHelper::readsNetworkInput))
        .as("one convolution reads the features").hasSize(1);
    TrainingPassConvHelper first = (TrainingPassConvHelper) firstLayer.layer().getHelper();
    Random random = new Random(5);
    INDArray features = Batches.features(random, BATCH_SIZE, model.numFeatures());
    INDArray labels = Batches.oneHot(random, BATCH_SIZE, 10);

    network.computeGradientAndScore(features, labels); // unarmed: DL4J's helper, oneDNN's sums
    float[] unarmed = network.flatGradients().data().asFloat();
    long computed = first.inputGradients();
    network.flatGradients().assign(Float.NaN); // every gradient element is written again
    TrainingPassConvHelper.during(network.layers(),
        () -> network.computeGradientAndScore(features, labels));
    float[] armed = network.flatGradients().data().asFloat();
    assertThat(first.inputGradients()).as("input gradients computed in an armed pass")
        .isEqualTo(computed);

    for (ParamTensor t : model.tensors()) {
      boolean ofFirstLayer = t.name().startsWith(firstLayer.prefix());
      double largest = 0;
      double worst = 0;
      int differing = 0;
      for (long i = t.offset(); i < t.offset() + t.length(); i++) {
        largest = Math.max(largest, Math.abs(unarmed[(int) i]));
        worst = Math.max(worst, Math.abs(armed[(int) i] - unarmed[(int) i]));
        differing += Float.floatToRawIntBits(armed[(int) i])
            != Float.floatToRawIntBits(unarmed[(int) i]) ? 1 : 0;
      }
      if (ofFirstLayer) {
        assertThat(worst).as("%s against oneDNN's", t.name()).isLessThanOrEqualTo(1e-4 * largest);
      } else {
        assertThat(differing).as("%s: elements that differ", t.name()).isZero();
      }
    }

    TrainableModel fresh = withHelpers(name); // never armed: DL4J's helper throughout
    Network freshNetwork = ((Dl4jModel) fresh).network();
    freshNetwork.computeGradientAndScore(features, labels); // the same running statistics
    freshNetwork.computeGradientAndScore(features, labels);
    INDArray inputGradient = model.inputGradient(features, labels);
    assertBitIdentical(inputGradient, fresh.inputGradient(features, labels),
        "the attacks' input gradient");
    assertThat(inputGradient.isNaN().any()).as("no NaN in it").isFalse();
    assertThat(inputGradient.amaxNumber().doubleValue()).as("a real one").isPositive();
  }

  /** Compares without AssertJ's element diff, which is quadratic on a gradient's length. */
  private static void assertBitIdentical(INDArray actual, INDArray expected, String what) {
    float[] a = actual.data().asFloat();
    float[] e = expected.data().asFloat();
    assertThat(a.length).as("%s: length", what).isEqualTo(e.length);
    int differing = 0;
    int first = -1;
    for (int i = 0; i < a.length; i++) {
      if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(e[i])) {
        differing++;
        first = first < 0 ? i : first;
      }
    }
    assertThat(differing).as("%s: elements that differ of %d, the first at %d (%s against %s)",
        what, a.length, first, first < 0 ? "" : a[first], first < 0 ? "" : e[first]).isZero();
  }

  private static TrainableModel withHelpers(String name) {
    if (name.equals(STRIDED)) {
      return Dl4jModel.wrap(name, strided(), true);
    }
    TrainableModel model = ModelZoo.build(name, 7);
    OneDnnHelpers.install(model, OneDnnHelpers.all()); // where the suite runs with them off
    return model;
  }

  /**
   * 12x12x3 images: a 3x3 convolution with stride 2 in truncate mode, without bias, then a 3x3
   * one in same mode, both tanh (their backward needs the pre-activations themselves, not the
   * activations), then the softmax output. (No dilation: the bundled libnd4j's oneDNN refuses a
   * dilated convolution's descriptor, and DL4J then runs the layer without its helper.)
   */
  private static MultiLayerNetwork strided() {
    MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(7)
        .dataType(DataType.FLOAT).weightInit(WeightInit.XAVIER).list()
        .layer(new ConvolutionLayer.Builder(3, 3).nOut(6).stride(2, 2)
            .convolutionMode(ConvolutionMode.Truncate).hasBias(false)
            .activation(Activation.TANH).build())
        .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).convolutionMode(ConvolutionMode.Same)
            .activation(Activation.TANH).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
            .activation(Activation.SOFTMAX).build())
        .setInputType(InputType.convolutionalFlat(12, 12, 3)).build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    return net;
  }

  private static List<TrainingPassConvHelper> helpers(TrainableModel model) {
    List<TrainingPassConvHelper> helpers = new ArrayList<>();
    for (Network.NamedLayer named : ((Dl4jModel) model).network().layers()) {
      if (named.layer().getHelper() instanceof TrainingPassConvHelper helper) {
        helpers.add(helper);
      }
    }
    return helpers;
  }

  private static long[] counts(List<TrainingPassConvHelper> helpers) {
    return helpers.stream().mapToLong(TrainingPassConvHelper::convolutions).toArray();
  }
}
