package io.sparkzero.worker.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.DepthwiseConvolution2DLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNBatchNormHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNSubsamplingHelper;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * The oneDNN layer helpers against DL4J's built-in path. The helpers run libnd4j's ops under
 * every CPU build (through oneDNN only in the {@code onednn} classifiers), so these tests run
 * whichever {@code nd4j.classifier} the build uses.
 */
class OneDnnHelpersTest {

  /**
   * Largest gradient difference per tensor, relative to that tensor's largest gradient element.
   * Measured: at most 3.2e-5 (resnet, onednn-avx2), 1e-5 elsewhere; float32 summation-order noise.
   */
  private static final double RELATIVE_TOLERANCE = 2e-4;

  @ParameterizedTest
  @ValueSource(strings = {"fmnist-cnn", "resnet", "lk-convnet"})
  void forcedHelpersGiveTheBuiltInGradientInTheSameLayout(String name) {
    assumeTrue(OneDnnHelpers.available(), "ND4J CPU backend with helpers allowed");
    Dl4jModel builtin = zooModel(name, false);
    Dl4jModel forced = zooModel(name, false);
    int installed = OneDnnHelpers.install(forced, OneDnnHelpers.all());
    assertThat(installed).isPositive();
    assertThat(forced.tensors()).isEqualTo(builtin.tensors());
    assertThat(forced.params()).isEqualTo(builtin.params());

    Random random = new Random(11);
    // Two steps: the second runs the helpers' cached op contexts and the updated running stats.
    for (int step = 0; step < 2; step++) {
      INDArray features = Batches.features(random, 8, 784);
      INDArray labels = Batches.oneHot(random, 8, 10);
      double lossBuiltin = builtin.computeGradient(features, labels);
      double lossForced = forced.computeGradient(features, labels);
      assertThat(lossForced).as("loss, step %d", step).isCloseTo(lossBuiltin, offset(1e-5));
      assertGradientsClose(builtin, forced, name + " step " + step);
      builtin.params().subi(builtin.gradientView().mul(0.1));
      forced.params().subi(forced.gradientView().mul(0.1));
    }
  }

  @Test
  void helpersGoOnlyOnTheLayersTheyWereWrittenFor() {
    assumeTrue(OneDnnHelpers.available(), "ND4J CPU backend with helpers allowed");
    NeuralNetwork cnn = ModelZoo.architecture("fmnist-cnn").create(1, new NoOp());
    assertThat(OneDnnHelpers.install(cnn, OneDnnHelpers.all())).isEqualTo(4);
    assertThat(OneDnnHelpers.install(cnn, OneDnnHelpers.all())).as("second install").isZero();

    NeuralNetwork lk = ModelZoo.architecture("lk-convnet").create(1, new NoOp());
    OneDnnHelpers.install(lk, OneDnnHelpers.all());
    for (Layer layer : layers(lk)) {
      if (layer instanceof DepthwiseConvolution2DLayer) {
        assertThat(layer.getHelper()).as("depthwise").isNull();
      } else if (layer instanceof ConvolutionLayer) {
        assertThat(layer.getHelper()).isInstanceOf(MKLDNNConvHelper.class);
      } else if (layer instanceof BatchNormalization) {
        assertThat(layer.getHelper()).isInstanceOf(MKLDNNBatchNormHelper.class);
      }
    }
    assertThat(layers(cnn).stream().filter(SubsamplingLayer.class::isInstance))
        .allMatch(l -> l.getHelper() instanceof MKLDNNSubsamplingHelper);

    NeuralNetwork mlp = ModelZoo.architecture("mlp").create(1, new NoOp());
    assertThat(OneDnnHelpers.install(mlp, OneDnnHelpers.all())).isZero();
  }

  @Test
  void propertyTurnsTheWrapInstallOff() {
    String before = System.getProperty(OneDnnHelpers.PROPERTY);
    try {
      System.setProperty(OneDnnHelpers.PROPERTY, "off");
      assertThat(OneDnnHelpers.enabled()).isFalse();
      Dl4jModel model = (Dl4jModel) ModelZoo.build("fmnist-cnn", 1);
      assertThat(model.network().layers())
          .allMatch(named -> named.layer().getHelper() == null);
      System.setProperty(OneDnnHelpers.PROPERTY, "on");
      assertThat(OneDnnHelpers.enabled()).isEqualTo(OneDnnHelpers.available());
    } finally {
      if (before == null) {
        System.clearProperty(OneDnnHelpers.PROPERTY);
      } else {
        System.setProperty(OneDnnHelpers.PROPERTY, before);
      }
    }
  }

  private static Dl4jModel zooModel(String name, boolean helpers) {
    return Dl4jModel.wrap(name, ModelZoo.architecture(name).create(5, new NoOp()), helpers);
  }

  private static List<Layer> layers(NeuralNetwork network) {
    return network instanceof org.deeplearning4j.nn.graph.ComputationGraph graph
        ? List.of(graph.getLayers())
        : List.of(((org.deeplearning4j.nn.multilayer.MultiLayerNetwork) network).getLayers());
  }

  private static void assertGradientsClose(Dl4jModel expected, Dl4jModel actual, String what) {
    float[] a = expected.gradientView().toFloatVector();
    float[] b = actual.gradientView().toFloatVector();
    for (ParamTensor t : expected.tensors()) {
      double maxAbs = 0;
      double maxDiff = 0;
      for (int i = (int) t.offset(); i < t.offset() + t.length(); i++) {
        maxAbs = Math.max(maxAbs, Math.abs(a[i]));
        maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
      }
      assertThat(maxDiff)
          .as("%s, tensor %s (max |g| %.3e)", what, t.name(), maxAbs)
          .isLessThanOrEqualTo(RELATIVE_TOLERANCE * maxAbs + 1e-9);
    }
  }
}
