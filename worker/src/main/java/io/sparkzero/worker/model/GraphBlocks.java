package io.sparkzero.worker.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.nd4j.linalg.activations.Activation;

/**
 * Adds named layer groups to one ComputationGraph builder; each method returns the name of the
 * vertex that carries the group's output, so blocks read as a chain of names.
 */
final class GraphBlocks {

  private final GraphBuilder graph;

  GraphBlocks(GraphBuilder graph) {
    this.graph = graph;
  }

  /**
   * Convolution without bias (the batch norm's beta plays that role) followed by batch norm.
   *
   * @return {@code name + "_bn"}
   */
  String convBn(String name, String input, int kernel, int stride, int channelsOut) {
    graph.addLayer(
        name,
        new ConvolutionLayer.Builder(kernel, kernel)
            .stride(stride, stride)
            .convolutionMode(ConvolutionMode.Same)
            .nOut(channelsOut)
            .hasBias(false)
            .activation(Activation.IDENTITY)
            .build(),
        input);
    return batchNorm(name + "_bn", name);
  }

  /**
   * Depthwise convolution (one kernel per channel, same padding, no bias) followed by batch norm.
   *
   * @return {@code name + "_bn"}
   */
  String depthwiseBn(String name, String input, int kernel) {
    graph.addLayer(
        name,
        new DepthwiseConvolution2D.Builder(kernel, kernel)
            .depthMultiplier(1)
            .convolutionMode(ConvolutionMode.Same)
            .hasBias(false)
            .activation(Activation.IDENTITY)
            .build(),
        input);
    return batchNorm(name + "_bn", name);
  }

  /** 1x1 convolution with bias: a per-pixel dense layer. */
  String pointwise(String name, String input, int channelsOut, Activation activation) {
    graph.addLayer(
        name,
        new ConvolutionLayer.Builder(1, 1).nOut(channelsOut).activation(activation).build(),
        input);
    return name;
  }

  String batchNorm(String name, String input) {
    graph.addLayer(name, new BatchNormalization.Builder().build(), input);
    return name;
  }

  String activation(String name, String input, Activation activation) {
    graph.addLayer(name, new ActivationLayer.Builder().activation(activation).build(), input);
    return name;
  }

  /** Element-wise sum: the residual connection. */
  String add(String name, String left, String right) {
    graph.addVertex(name, new ElementWiseVertex(ElementWiseVertex.Op.Add), left, right);
    return name;
  }

  String globalAveragePool(String name, String input) {
    graph.addLayer(name, new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), input);
    return name;
  }

  /**
   * Ends the graph: global average pooling of {@code input}, the softmax output layer, the flat
   * image input type; returns the initialised network.
   */
  ComputationGraph poolAndClassify(String input) {
    String pooled = globalAveragePool("pool", input);
    graph
        .addLayer("out", SequentialModels.softmaxOutput(), pooled)
        .setOutputs("out")
        .setInputTypes(SequentialModels.flatImageInput());
    ComputationGraph net = new ComputationGraph(graph.build());
    net.init();
    return net;
  }
}
