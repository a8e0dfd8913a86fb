package io.sparkzero.worker.model;

import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;

/**
 * Reads a network's flat input width and class count from its configuration, since DL4J keeps
 * no input type on a built network. Covers flat feed-forward input and flat images reshaped by a
 * {@link FeedForwardToCnnPreProcessor} (what {@code InputType.convolutionalFlat} installs).
 */
final class InputShapes {

  private InputShapes() {}

  /** Features per example seen by the first layer, given the preprocessor in front of it. */
  static int featuresOf(InputPreProcessor preProcessor, Layer firstLayer) {
    if (preProcessor instanceof FeedForwardToCnnPreProcessor image) {
      return Math.toIntExact(
          image.getInputHeight() * image.getInputWidth() * image.getNumChannels());
    }
    if (preProcessor == null && firstLayer instanceof FeedForwardLayer dense) {
      return Math.toIntExact(dense.getNIn());
    }
    throw new IllegalArgumentException(
        "cannot tell the flat input width of first layer '"
            + firstLayer.getLayerName()
            + "' ("
            + firstLayer.getClass().getSimpleName()
            + ", preprocessor "
            + preProcessor
            + "): build the network with InputType.feedForward or InputType.convolutionalFlat");
  }

  /** Classes produced by the output layer. */
  static int classesOf(Layer outputLayer) {
    if (outputLayer instanceof FeedForwardLayer dense) {
      return Math.toIntExact(dense.getNOut());
    }
    throw new IllegalArgumentException(
        "output layer '"
            + outputLayer.getLayerName()
            + "' is a "
            + outputLayer.getClass().getSimpleName()
            + ", not a layer with nOut: cannot tell the number of classes");
  }
}
