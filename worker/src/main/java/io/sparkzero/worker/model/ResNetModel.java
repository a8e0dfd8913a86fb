package io.sparkzero.worker.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * {@code resnet}: a small ResNet for 28x28 images, kept to about 20k parameters so tests that
 * train it stay fast while still covering batch norm and both kinds of residual connection.
 *
 * <pre>
 * stem    conv3x3(1-&gt;16) BN ReLU                              28x28
 * block1  conv3x3 BN ReLU conv3x3 BN + identity, ReLU          28x28x16
 * block2  conv3x3/2 BN ReLU conv3x3 BN + conv1x1/2 BN, ReLU    14x14x32
 * head    global average pool, dense(32-&gt;10) softmax
 * </pre>
 */
final class ResNetModel {

  private ResNetModel() {}

  static ComputationGraph create(long seed, IUpdater updater) {
    GraphBuilder graph = SequentialModels.base(seed, updater).graphBuilder().addInputs("in");
    GraphBlocks blocks = new GraphBlocks(graph);

    String x = blocks.convBn("stem", "in", 3, 1, 16);
    x = blocks.activation("stem_relu", x, Activation.RELU);
    x = residualBlock(blocks, "block1", x, 16, 1);
    x = residualBlock(blocks, "block2", x, 32, 2);
    return blocks.poolAndClassify(x);
  }

  /**
   * Two 3x3 conv+BN with ReLU between; identity shortcut, or a 1x1 conv+BN projection when the
   * block changes the shape.
   */
  private static String residualBlock(
      GraphBlocks blocks, String name, String input, int channelsOut, int stride) {
    String x = blocks.convBn(name + "_conv1", input, 3, stride, channelsOut);
    x = blocks.activation(name + "_relu1", x, Activation.RELU);
    x = blocks.convBn(name + "_conv2", x, 3, 1, channelsOut);
    String shortcut =
        stride == 1 ? input : blocks.convBn(name + "_proj", input, 1, stride, channelsOut);
    return blocks.activation(
        name + "_relu2", blocks.add(name + "_add", x, shortcut), Activation.RELU);
  }
}
