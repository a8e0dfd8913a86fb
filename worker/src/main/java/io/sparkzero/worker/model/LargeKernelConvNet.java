package io.sparkzero.worker.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * {@code lk-convnet}: a large-kernel depthwise ConvNet in the spirit of RepLKNet / UniRepLKNet,
 * scaled down to about 24k parameters. Each block mixes space with one 13x13 depthwise
 * convolution (a receptive field covering the whole 14x14 or 7x7 map) and mixes channels with a
 * pointwise feed-forward of expansion 4, both inside a residual connection.
 *
 * <pre>
 * stem    conv3x3/2(1-&gt;16) BN ReLU                                   14x14x16
 * stage1  [dw13x13 BN, conv1x1(16-&gt;64) GELU, conv1x1(64-&gt;16)] + x     14x14x16
 * down    conv3x3/2(16-&gt;32) BN ReLU                                   7x7x32
 * stage2  [dw13x13 BN, conv1x1(32-&gt;128) GELU, conv1x1(128-&gt;32)] + x   7x7x32
 * head    global average pool, dense(32-&gt;10) softmax
 * </pre>
 */
final class LargeKernelConvNet {

  static final int KERNEL = 13;
  static final int FFN_EXPANSION = 4;

  private LargeKernelConvNet() {}

  static ComputationGraph create(long seed, IUpdater updater) {
    GraphBuilder graph = SequentialModels.base(seed, updater).graphBuilder().addInputs("in");
    GraphBlocks blocks = new GraphBlocks(graph);

    String x = blocks.convBn("stem", "in", 3, 2, 16);
    x = blocks.activation("stem_relu", x, Activation.RELU);
    x = largeKernelBlock(blocks, "stage1", x, 16);
    x = blocks.activation("down_relu", blocks.convBn("down", x, 3, 2, 32), Activation.RELU);
    x = largeKernelBlock(blocks, "stage2", x, 32);
    return blocks.poolAndClassify(x);
  }

  private static String largeKernelBlock(
      GraphBlocks blocks, String name, String input, int channels) {
    String x = blocks.depthwiseBn(name + "_dw", input, KERNEL);
    x = blocks.pointwise(name + "_ffn1", x, channels * FFN_EXPANSION, Activation.GELU);
    x = blocks.pointwise(name + "_ffn2", x, channels, Activation.IDENTITY);
    return blocks.add(name + "_add", x, input);
  }
}
