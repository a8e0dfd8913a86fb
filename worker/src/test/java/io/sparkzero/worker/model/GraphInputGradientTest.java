package io.sparkzero.worker.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The graph's input gradient ({@link InputGradientGraph}) against DL4J's own for a
 * MultiLayerNetwork ({@code calculateGradients}): one chain of conv, batch norm, pooling, dense
 * and softmax layers built both ways with the same parameters. Both run the same ops in fp32 in
 * the same order, so they agree to float rounding; the bound, 1e-5 of the gradient's largest
 * entry, leaves room only for that.
 */
class GraphInputGradientTest {
  private static final int N = 16;

  @Test
  void aGraphsInputGradientEqualsTheSameChainsAsAMultiLayerNetwork() {
    MultiLayerNetwork chain = new MultiLayerNetwork(base().list()
        .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.IDENTITY).build())
        .layer(new BatchNormalization.Builder().build())
        .layer(new SubsamplingLayer.Builder(2, 2).stride(2, 2).build())
        .layer(new DenseLayer.Builder().nOut(12).activation(Activation.TANH).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
            .activation(Activation.SOFTMAX).build())
        .setInputType(InputType.convolutionalFlat(28, 28, 1))
        .build());
    chain.init();
    ComputationGraph graph = new ComputationGraph(base().graphBuilder().addInputs("in")
        .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.IDENTITY).build(), "in")
        .addLayer("bn", new BatchNormalization.Builder().build(), "conv")
        .addLayer("pool", new SubsamplingLayer.Builder(2, 2).stride(2, 2).build(), "bn")
        .addLayer("dense", new DenseLayer.Builder().nOut(12).activation(Activation.TANH).build(), "pool")
        .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
            .activation(Activation.SOFTMAX).build(), "dense")
        .setOutputs("out")
        .setInputTypes(InputType.convolutionalFlat(28, 28, 1))
        .build());
    graph.init();
    assertThat(graph.numParams()).isEqualTo(chain.numParams());
    graph.setParams(chain.params());

    INDArray features = features();
    INDArray labels = labels();
    INDArray expected = new MultiLayerAdapter(chain).inputGradient(features, labels);
    INDArray paramsBefore = graph.params().dup();
    INDArray actual = new GraphAdapter(graph).inputGradient(features, labels);

    assertThat(actual.shape()).isEqualTo(new long[] {N, 784});
    double scale = expected.amaxNumber().doubleValue();
    assertThat(scale).as("a gradient worth comparing").isGreaterThan(1e-6);
    assertThat(actual.sub(expected).amaxNumber().doubleValue()).isLessThanOrEqualTo(1e-5 * scale);
    assertThat(graph.params()).as("the graph's own parameters").isEqualTo(paramsBefore);
    assertThat(graph.getGradientsViewArray()).as("the graph's own gradients, never allocated").isNull();
  }

  @Test
  void theTwinSeesTheGraphsCurrentWeights() {
    TrainableModel resnet = ModelZoo.build("resnet", 5);
    INDArray features = features();
    INDArray labels = labels();
    INDArray before = resnet.inputGradient(features, labels);
    resnet.params().muli(1.5);
    INDArray after = resnet.inputGradient(features, labels);
    assertThat(after.shape()).isEqualTo(new long[] {N, 784});
    assertThat(before.amaxNumber().doubleValue()).isGreaterThan(0);
    assertThat(after).as("the gradient after the weights changed").isNotEqualTo(before);
    resnet.params().divi(1.5);
    assertThat(resnet.inputGradient(features, labels).sub(before).amaxNumber().doubleValue())
        .isLessThanOrEqualTo(1e-5 * before.amaxNumber().doubleValue());
  }

  /**
   * Repeated input gradients of {@code resnet} reuse their memory. Before the twin ran in
   * workspaces each call at batch 16 allocated its activations afresh in native memory, which only
   * a garbage collection gave back, and little Java heap is used, so none ran: the 30 calls below
   * grew the process by 4.2 GB. The bound, 300 MB, leaves room for the JIT and the allocator, not
   * for that.
   */
  @Test
  void repeatedInputGradientsDoNotGrowTheProcess() {
    TrainableModel resnet = ModelZoo.build("resnet", 5);
    INDArray features = features();
    INDArray labels = labels();
    for (int i = 0; i < 10; i++) {
      resnet.inputGradient(features, labels);
    }
    long before = org.bytedeco.javacpp.Pointer.physicalBytes();
    for (int i = 0; i < 30; i++) {
      resnet.inputGradient(features, labels);
    }
    long grown = org.bytedeco.javacpp.Pointer.physicalBytes() - before;
    assertThat(grown).as("resident bytes grown over 30 calls").isLessThan(300L << 20);
  }

  private static NeuralNetConfiguration.Builder base() {
    return new NeuralNetConfiguration.Builder().seed(3).updater(new Sgd(0.1)).weightInit(WeightInit.XAVIER)
        .dataType(DataType.FLOAT);
  }

  private static INDArray features() {
    Random random = new Random(11);
    float[] x = new float[N * 784];
    for (int i = 0; i < x.length; i++) {
      x[i] = random.nextFloat();
    }
    return Nd4j.create(x, new long[] {N, 784}, 'c');
  }

  private static INDArray labels() {
    INDArray y = Nd4j.zeros(DataType.FLOAT, N, 10);
    for (int r = 0; r < N; r++) {
      y.putScalar(r, r % 10, 1);
    }
    return y;
  }
}
