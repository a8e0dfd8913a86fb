package io.sparkzero.worker.model;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@link Network} over a {@link MultiLayerNetwork}. */
final class MultiLayerAdapter implements Network {

  private final MultiLayerNetwork net;

  MultiLayerAdapter(MultiLayerNetwork net) {
    this.net = net;
  }

  @Override
  public INDArray flatParams() {
    return net.params();
  }

  @Override
  public INDArray flatGradients() {
    // DL4J allocates the gradient view on the first backward pass; we may hand it out earlier.
    // Not before: ZeRO stages 2 and 3 never need the full vector.
    if (net.getGradientsViewArray() == null) {
      net.initGradientsView();
    }
    return net.getGradientsViewArray();
  }

  @Override
  public double computeGradientAndScore(INDArray features, INDArray labels) {
    net.setInput(features);
    net.setLabels(labels);
    net.computeGradientAndScore();
    return net.score();
  }

  @Override
  public INDArray output(INDArray features) {
    return net.output(features, false);
  }

  @Override
  public INDArray inputGradient(INDArray features, INDArray labels) {
    return net.calculateGradients(features, labels, null, null).getSecond();
  }

  @Override
  public org.deeplearning4j.nn.api.NeuralNetwork floatCopy() {
    org.deeplearning4j.nn.conf.MultiLayerConfiguration conf = net.getLayerWiseConfigurations().clone();
    conf.setDataType(org.nd4j.linalg.api.buffer.DataType.FLOAT);
    MultiLayerNetwork copy = new MultiLayerNetwork(conf);
    copy.init();
    return copy;
  }

  @Override
  public List<NamedLayer> layers() {
    List<NamedLayer> out = new ArrayList<>();
    Layer[] layers = net.getLayers();
    for (int i = 0; i < layers.length; i++) {
      out.add(new NamedLayer(String.valueOf(i), layers[i]));
    }
    return out;
  }

  @Override
  public int numFeatures() {
    return InputShapes.featuresOf(
        net.getLayerWiseConfigurations().getInputPreProcess(0), net.getLayer(0).conf().getLayer());
  }

  @Override
  public int numClasses() {
    return InputShapes.classesOf(net.getOutputLayer().conf().getLayer());
  }

  @Override
  public void save(OutputStream out) throws IOException {
    ModelSerializer.writeModel(net, out, false);
  }

  @Override
  public long allocatedGradientElements() {
    return net.getGradientsViewArray() == null ? 0 : net.getGradientsViewArray().length();
  }

  @Override
  public org.deeplearning4j.nn.api.NeuralNetwork dl4j() {
    return net;
  }

  @Override
  public LayerwiseDriver layerwiseDriver() {
    return new MultiLayerDriver(net);
  }

  @Override
  public org.deeplearning4j.nn.api.NeuralNetwork converted(
      org.nd4j.linalg.api.buffer.DataType type) {
    return net.convertDataType(type);
  }
}
