package io.sparkzero.worker.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

class ModelPersistenceTest {

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"mlp", "resnet"})
  void saveThenLoadGivesTheSameParametersAndOutputs(String name) throws IOException {
    TrainableModel model = ModelZoo.build(name, 9);
    Random random = new Random(9);
    // One step moves the batch-norm running stats off their initial values.
    model.computeGradient(Batches.features(random, 4, 784), Batches.oneHot(random, 4, 10));
    model.params().subi(model.gradientView().mul(0.1));
    Path file = dir.resolve(name + ".zip");
    try (OutputStream out = Files.newOutputStream(file)) {
      model.save(out);
    }

    TrainableModel loaded = ModelLoader.load(file);

    INDArray features = Batches.features(random, 3, 784);
    assertThat(loaded.name()).isEqualTo(name + ".zip");
    assertThat(loaded.params().toFloatVector()).isEqualTo(model.params().toFloatVector());
    assertThat(loaded.tensors()).isEqualTo(model.tensors());
    assertThat(loaded.output(features).toFloatMatrix())
        .isDeepEqualTo(model.output(features).toFloatMatrix());
  }

  @Test
  void loadsAUsersMultiLayerNetworkWithUpdaterState() throws IOException {
    MultiLayerNetwork net =
        new MultiLayerNetwork(
            new NeuralNetConfiguration.Builder()
                .seed(3)
                .updater(new Adam(1e-3))
                .list()
                .layer(new DenseLayer.Builder().nOut(16).activation(Activation.TANH).build())
                .layer(
                    new OutputLayer.Builder(LossFunction.MCXENT)
                        .nOut(5)
                        .activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.feedForward(20))
                .build());
    net.init();
    Path file = write(net, "user-mlp.zip");

    TrainableModel loaded = ModelLoader.load(file);

    assertThat(ModelLoader.isComputationGraph(file)).isFalse();
    assertThat(loaded.numFeatures()).isEqualTo(20);
    assertThat(loaded.numClasses()).isEqualTo(5);
    assertThat(loaded.numParams()).isEqualTo(20 * 16 + 16 + 16 * 5 + 5);
    assertThat(loaded.params().toFloatVector()).isEqualTo(net.params().toFloatVector());
  }

  @Test
  void loadsAUsersComputationGraph() throws IOException {
    ComputationGraph graph =
        (ComputationGraph) ModelZoo.architecture("lk-convnet").create(4, new Adam(1e-3));
    Path file = write(graph, "user-graph.zip");

    TrainableModel loaded = ModelLoader.load(file);

    assertThat(ModelLoader.isComputationGraph(file)).isTrue();
    assertThat(loaded.numFeatures()).isEqualTo(784);
    assertThat(loaded.numClasses()).isEqualTo(10);
    assertThat(loaded.params().toFloatVector()).isEqualTo(graph.params().toFloatVector());
  }

  @Test
  void notAModelFileNamesThePath() throws IOException {
    Path file = Files.writeString(dir.resolve("notes.txt"), "not a model");

    assertThatThrownBy(() -> ModelLoader.load(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(file.toString());
    assertThatThrownBy(() -> ModelLoader.load(dir.resolve("missing.zip")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("missing.zip");
  }

  @Test
  void specNamesAZooModelOrAFile() throws IOException {
    Path file = write(ModelZoo.architecture("mlp").create(1, new Adam(1e-3)), "m.zip");

    assertThat(ModelSpec.parse("resnet").build(1).name()).isEqualTo("resnet");
    assertThat(ModelSpec.parse("file:" + file).build(1).numParams()).isEqualTo(50_890L);
    assertThat(ModelSpec.parse("file:" + file)).hasToString("file:" + file);
    assertThatThrownBy(() -> ModelSpec.parse("nope"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("known models are");
    assertThatThrownBy(() -> ModelSpec.parse("file:"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private Path write(Object network, String fileName) throws IOException {
    Path file = dir.resolve(fileName);
    ModelSerializer.writeModel((Model) network, file.toFile(), true);
    return file;
  }
}
