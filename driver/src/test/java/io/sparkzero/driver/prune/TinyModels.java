package io.sparkzero.driver.prune;

import java.io.IOException;
import java.nio.file.Path;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** Small DL4J networks for the model-embedding tests: a dense layer named "hidden", then the output. */
final class TinyModels {
  static final int HIDDEN_UNITS = 16;

  private TinyModels() {}

  static MultiLayerNetwork mlp(int features) {
    MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3).list()
        .layer(new DenseLayer.Builder().name("hidden").nOut(HIDDEN_UNITS).activation(Activation.TANH).build())
        .layer(new OutputLayer.Builder(LossFunction.MCXENT).name("out").nOut(10)
            .activation(Activation.SOFTMAX).build())
        .setInputType(InputType.feedForward(features)).build());
    net.init();
    return net;
  }

  /** Writes {@link #mlp} to {@code file} as a DL4J model file. */
  static Path write(Path file, int features) throws IOException {
    ModelSerializer.writeModel((Model) mlp(features), file.toFile(), false);
    return file;
  }
}
