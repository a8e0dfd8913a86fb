package io.sparkzero.worker.model;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The zoo's plain layer stacks ({@code MultiLayerNetwork}). {@code fmnist-cnn} and
 * {@code wide-mlp} match the PyTorch benchmark peer's networks layer for layer (BENCHMARKS.md,
 * "Peers"), so throughput can be compared with the PyTorch and DL4J-Spark peers.
 */
final class SequentialModels {

  static final int IMAGE_SIDE = 28;
  static final int NUM_FEATURES = IMAGE_SIDE * IMAGE_SIDE;
  static final int NUM_CLASSES = 10;

  private SequentialModels() {}

  /** Settings every zoo network shares: float32, Xavier init, no regularization. */
  static NeuralNetConfiguration.Builder base(long seed, IUpdater updater) {
    return new NeuralNetConfiguration.Builder()
        .seed(seed)
        .dataType(DataType.FLOAT)
        .weightInit(WeightInit.XAVIER)
        .updater(updater);
  }

  /** 28x28 grey images given as 784 flat features per example. */
  static InputType flatImageInput() {
    return InputType.convolutionalFlat(IMAGE_SIDE, IMAGE_SIDE, 1);
  }

  /** Softmax output with multi-class cross-entropy over {@link #NUM_CLASSES} classes. */
  static OutputLayer softmaxOutput() {
    return new OutputLayer.Builder(LossFunction.MCXENT)
        .nOut(NUM_CLASSES)
        .activation(Activation.SOFTMAX)
        .build();
  }

  /**
   * conv5x5(1-&gt;32, same)+ReLU, maxpool2, conv5x5(32-&gt;64, same)+ReLU, maxpool2,
   * dense(3136-&gt;512)+ReLU, dense(512-&gt;10): 1,663,370 parameters.
   */
  static MultiLayerNetwork fmnistCnn(long seed, IUpdater updater) {
    return init(
        base(seed, updater)
            .convolutionMode(ConvolutionMode.Same)
            .list()
            .layer(new ConvolutionLayer.Builder(5, 5).nOut(32).activation(Activation.RELU).build())
            .layer(maxPool2())
            .layer(new ConvolutionLayer.Builder(5, 5).nOut(64).activation(Activation.RELU).build())
            .layer(maxPool2())
            .layer(new DenseLayer.Builder().nOut(512).activation(Activation.RELU).build())
            .layer(softmaxOutput())
            .setInputType(flatImageInput()));
  }

  /** The name of {@link #fmnistEncoder}'s code layer, for {@code model:<uri>#embedding}. */
  static final String EMBEDDING_LAYER = "embedding";

  /**
   * A convolutional auto-encoder for masked reconstruction: fmnist-cnn's encoder with a 128-wide
   * code layer named {@value #EMBEDDING_LAYER}, then dense(128-&gt;512)+ReLU and dense(512-&gt;784)
   * with sigmoid and binary cross-entropy, one output per pixel (pixels in [0, 1]). Every layer
   * is named, so an embedding can pick one by name.
   */
  static MultiLayerNetwork fmnistEncoder(long seed, IUpdater updater) {
    return init(
        base(seed, updater)
            .convolutionMode(ConvolutionMode.Same)
            .list()
            .layer(new ConvolutionLayer.Builder(5, 5).name("conv1").nOut(32)
                .activation(Activation.RELU).build())
            .layer(maxPool2("pool1"))
            .layer(new ConvolutionLayer.Builder(5, 5).name("conv2").nOut(64)
                .activation(Activation.RELU).build())
            .layer(maxPool2("pool2"))
            .layer(new DenseLayer.Builder().name(EMBEDDING_LAYER).nOut(128)
                .activation(Activation.RELU).build())
            .layer(new DenseLayer.Builder().name("decode").nOut(512).activation(Activation.RELU)
                .build())
            .layer(new OutputLayer.Builder(LossFunction.XENT).name("pixels").nOut(NUM_FEATURES)
                .activation(Activation.SIGMOID).build())
            .setInputType(flatImageInput()));
  }

  /**
   * dense(784-&gt;4096)+ReLU, dense(4096-&gt;4096)+ReLU, dense(4096-&gt;10): 20,037,642
   * parameters.
   */
  static MultiLayerNetwork wideMlp(long seed, IUpdater updater) {
    return wideMlp(seed, updater, 4096, 2);
  }

  /**
   * {@code layers} hidden dense layers of {@code width} with ReLU, then dense(w-&gt;10): for two
   * layers w^2 + 796w + 10 parameters.
   */
  static MultiLayerNetwork wideMlp(long seed, IUpdater updater, int width, int layers) {
    int[] widths = new int[layers];
    java.util.Arrays.fill(widths, width);
    return mlp(seed, updater, widths);
  }

  /** dense(784-&gt;64)+ReLU, dense(64-&gt;10): 50,890 parameters, for fast tests. */
  static MultiLayerNetwork smallMlp(long seed, IUpdater updater) {
    return mlp(seed, updater, 64);
  }

  private static MultiLayerNetwork mlp(long seed, IUpdater updater, int... hiddenWidths) {
    NeuralNetConfiguration.ListBuilder list = base(seed, updater).list();
    for (int width : hiddenWidths) {
      list.layer(new DenseLayer.Builder().nOut(width).activation(Activation.RELU).build());
    }
    return init(list.layer(softmaxOutput()).setInputType(InputType.feedForward(NUM_FEATURES)));
  }

  private static SubsamplingLayer maxPool2() {
    return maxPool2(null);
  }

  private static SubsamplingLayer maxPool2(String name) {
    return new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
        .name(name)
        .kernelSize(2, 2)
        .stride(2, 2)
        .build();
  }

  private static MultiLayerNetwork init(NeuralNetConfiguration.ListBuilder list) {
    MultiLayerNetwork net = new MultiLayerNetwork(list.build());
    net.init();
    return net;
  }
}
