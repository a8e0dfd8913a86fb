package io.sparkzero.worker.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import io.sparkzero.worker.model.ParamTensor.Kind;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.NoOp;

class ModelZooTest {

  static List<String> names() {
    return ModelZoo.names();
  }

  /** The zoo's classifiers: every model but the encoder, whose output is an image. */
  static List<String> classifiers() {
    return ModelZoo.names().stream().filter(name -> !name.equals("fmnist-encoder")).toList();
  }

  @Test
  void parameterCountsMatchThePeers() {
    assertThat(ModelZoo.build("fmnist-cnn", 1).numParams()).isEqualTo(1_663_370L);
    assertThat(ModelZoo.build("wide-mlp", 1).numParams()).isEqualTo(20_037_642L);
    assertThat(ModelZoo.build("mlp", 1).numParams()).isEqualTo(50_890L);
  }

  @Test
  void smallGraphModelsStaySmall() {
    assertThat(ModelZoo.build("resnet", 1).numParams()).isBetween(10_000L, 100_000L);
    assertThat(ModelZoo.build("lk-convnet", 1).numParams()).isBetween(10_000L, 100_000L);
  }

  @Test
  void wideMlpTakesAWidthAndANumberOfHiddenLayers() {
    int w = 96;
    assertThat(ModelZoo.build("wide-mlp:" + w, 1).numParams()).isEqualTo((long) w * w + 796L * w + 10);
    assertThat(ModelZoo.build("wide-mlp:" + w + "x4", 1).numParams())
        .isEqualTo(785L * w + 3L * (w * w + w) + 10L * w + 10);
    assertThat(ModelZoo.isKnown("wide-mlp:4096")).isTrue();
    for (String bad : List.of("wide-mlp:", "wide-mlp:0", "wide-mlp:wide", "wide-mlp:64x0",
        "wide-mlp:64x2x2", "wide-mlp:99999")) {
      assertThat(ModelZoo.isKnown(bad)).as(bad).isFalse();
      assertThatThrownBy(() -> ModelZoo.build(bad, 1)).hasMessageContaining(bad)
          .hasMessageContaining("wide-mlp:<width>x<hidden layers>");
    }
  }

  @Test
  void unknownNameListsTheKnownOnes() {
    assertThatThrownBy(() -> ModelZoo.build("vgg", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("vgg")
        .hasMessageContaining("fmnist-cnn, wide-mlp, mlp, resnet, lk-convnet");
  }

  @Test
  void sameSeedGivesSameParameters() {
    float[] a = ModelZoo.build("resnet", 7).params().toFloatVector();
    float[] b = ModelZoo.build("resnet", 7).params().toFloatVector();
    float[] c = ModelZoo.build("resnet", 8).params().toFloatVector();
    assertThat(a).isEqualTo(b);
    assertThat(a).isNotEqualTo(c);
  }

  @ParameterizedTest
  @MethodSource("classifiers")
  void forwardAndBackwardOnAFlatBatch(String name) {
    TrainableModel model = ModelZoo.build(name, 3);
    Random random = new Random(3);
    INDArray features = Batches.features(random, 4, 784);
    INDArray labels = Batches.oneHot(random, 4, 10);

    double loss = model.computeGradient(features, labels);

    assertThat(model.numFeatures()).isEqualTo(784);
    assertThat(model.numClasses()).isEqualTo(10);
    assertThat(loss).isFinite().isPositive();
    assertThat(model.gradientView().length()).isEqualTo(model.numParams());
    assertThat(model.gradientView().norm2Number().doubleValue()).isFinite().isPositive();
    INDArray probabilities = model.output(features);
    assertThat(probabilities.shape()).containsExactly(4, 10);
    INDArray rowSums = probabilities.sum(1);
    for (int i = 0; i < 4; i++) {
      assertThat(rowSums.getDouble(i)).isCloseTo(1.0, offset(1e-5));
    }
  }

  @Test
  void theEncoderRebuildsItsInputThroughANamedEmbeddingLayer() {
    TrainableModel model = ModelZoo.build("fmnist-encoder", 3);
    // conv 5x5 1-32, conv 5x5 32-64, dense 3136-128, 128-512, 512-784, with biases
    assertThat(model.numParams()).isEqualTo(832L + 51_264 + 401_536 + 66_048 + 402_192);
    assertThat(model.numFeatures()).isEqualTo(784);
    assertThat(model.numClasses()).as("one output per pixel").isEqualTo(784);
    INDArray images = Batches.features(new Random(3), 4, 784);
    assertThat(model.computeGradient(images, images)).isFinite().isPositive();
    INDArray rebuilt = model.output(images);
    assertThat(rebuilt.shape()).containsExactly(4, 784);
    assertThat(rebuilt.minNumber().doubleValue()).isGreaterThan(0);
    assertThat(rebuilt.maxNumber().doubleValue()).isLessThan(1);
    MultiLayerNetwork net = (MultiLayerNetwork) ModelZoo.architecture("fmnist-encoder").create(3, new NoOp());
    assertThat(net.getLayerWiseConfigurations().getConf(4).getLayer().getLayerName()).isEqualTo("embedding");
    assertThat(net.getLayerWiseConfigurations().getConf(3).getLayer().getLayerName()).isEqualTo("pool2");
  }

  @ParameterizedTest
  @MethodSource("names")
  void tensorsTileTheFlatVectorWithDl4jsOwnViews(String name) {
    NeuralNetwork net = ModelZoo.architecture(name).create(5, new NoOp());
    TrainableModel model = Dl4jModel.wrap(name, net);
    Map<String, INDArray> table = paramTable(net);

    long next = 0;
    for (ParamTensor t : model.tensors()) {
      assertThat(t.offset()).as(t.name()).isEqualTo(next);
      next += t.length();
      assertThat(t.kind()).as(t.name()).isEqualTo(expectedKind(t.name()));
      INDArray view = table.get(t.name());
      assertThat(view).as(t.name()).isNotNull();
      INDArray slice =
          model.params().get(NDArrayIndex.interval(t.offset(), t.offset() + t.length()));
      INDArray viewInFlatOrder = view.reshape(view.ordering(), new long[] {view.length()});
      assertThat(slice.toFloatVector())
          .as(t.name())
          .isEqualTo(viewInFlatOrder.toFloatVector());
    }
    assertThat(next).isEqualTo(model.numParams());
    assertThat(model.tensors()).hasSize(table.size());
  }

  @Test
  void batchNormModelsHaveEveryKind() {
    List<Kind> kinds =
        ModelZoo.build("lk-convnet", 1).tensors().stream().map(ParamTensor::kind).toList();
    assertThat(kinds).contains(Kind.WEIGHT, Kind.BIAS, Kind.NORM, Kind.RUNNING_STAT);
  }

  private static Kind expectedKind(String tensorName) {
    String key = tensorName.substring(tensorName.lastIndexOf('_') + 1);
    return switch (key) {
      case "W" -> Kind.WEIGHT;
      case "b" -> Kind.BIAS;
      case "gamma", "beta" -> Kind.NORM;
      case "mean", "var", "log10stdev" -> Kind.RUNNING_STAT;
      default -> throw new AssertionError("unexpected parameter " + tensorName);
    };
  }

  private static Map<String, INDArray> paramTable(NeuralNetwork net) {
    return net instanceof MultiLayerNetwork mln
        ? mln.paramTable()
        : ((ComputationGraph) net).paramTable();
  }
}
