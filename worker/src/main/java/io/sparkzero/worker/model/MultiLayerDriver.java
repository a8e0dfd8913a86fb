package io.sparkzero.worker.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link LayerwiseDriver} over a {@link MultiLayerNetwork}: the loops of its {@code
 * ffToLayerActivationsInWs} (layers 0 .. n-2, each after its input preprocessor; the output layer
 * only gets its preprocessed input) and {@code calcBackpropGradients} (layers n-1 .. 0, each
 * epsilon then through the layer's preprocessor), and the score of {@code computeGradientAndScore}.
 */
final class MultiLayerDriver implements LayerwiseDriver {

  private final MultiLayerNetwork net;

  MultiLayerDriver(MultiLayerNetwork net) {
    MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
    if (conf.getBackpropType() == BackpropType.TruncatedBPTT) {
      throw new IllegalArgumentException("truncated BPTT networks cannot run layer by layer");
    }
    if (!(net.getOutputLayer() instanceof IOutputLayer)) {
      throw new IllegalArgumentException(
          "the last layer is a "
              + net.getOutputLayer().getClass().getSimpleName()
              + ", not an output layer: no loss to backpropagate");
    }
    this.net = net;
  }

  @Override
  public double forwardBackward(INDArray features, INDArray labels, Windows windows) {
    LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
    net.setInput(features); // the network holds its batch as after computeGradientAndScore
    net.setLabels(labels);
    net.clearLayerMaskArrays();
    Layer[] layers = net.getLayers();
    int batchSize = (int) features.size(0);
    try {
      forward(features, batchSize, layers, mgr, windows);
      return backward(labels, batchSize, layers, mgr, windows);
    } finally {
      for (Layer layer : layers) {
        layer.clear();
      }
    }
  }

  private void forward(
      INDArray features, int batchSize, Layer[] layers, LayerWorkspaceMgr mgr, Windows windows) {
    int last = layers.length - 1;
    INDArray activations = features;
    for (int i = 0; i <= last; i++) {
      InputPreProcessor pre = net.getLayerWiseConfigurations().getInputPreProcess(i);
      if (pre != null) {
        activations = pre.preProcess(activations, batchSize, mgr);
      }
      windows.beforeForward(layers[i]);
      if (i < last) {
        activations = layers[i].activate(activations, true, mgr);
      } else {
        layers[i].setInput(activations, mgr);
      }
      windows.afterForward(layers[i]);
    }
  }

  private double backward(
      INDArray labels, int batchSize, Layer[] layers, LayerWorkspaceMgr mgr, Windows windows) {
    int last = layers.length - 1;
    IOutputLayer output = (IOutputLayer) layers[last];
    output.setLabels(labels);
    double loss = Double.NaN;
    INDArray epsilon = null;
    for (int i = last; i >= 0; i--) {
      windows.beforeBackward(layers[i]);
      Pair<Gradient, INDArray> pair = layers[i].backpropGradient(epsilon, mgr);
      if (i == last) {
        loss = output.computeScore(0.0, true, mgr);
      }
      windows.afterBackward(layers[i]);
      epsilon = pair.getSecond();
      InputPreProcessor pre = net.getLayerWiseConfigurations().getInputPreProcess(i);
      if (pre != null && i > 0) { // DL4J backprops layer 0's preprocessor too, then drops it
        epsilon = pre.backprop(epsilon, batchSize, mgr);
      }
    }
    return loss;
  }
}
