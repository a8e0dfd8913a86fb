package io.sparkzero.worker.model;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The few operations {@link Dl4jModel} needs, over the two DL4J network types
 * ({@code MultiLayerNetwork}, {@code ComputationGraph}), which share no interface for them.
 */
interface Network {

  /** The network's own flat parameter vector, as DL4J holds it (may be {@code [1, n]}). */
  INDArray flatParams();

  /**
   * The network's own flat gradient vector, aligned with {@link #flatParams()}; allocated on the
   * first call.
   */
  INDArray flatGradients();

  /**
   * Forward and backward in training mode, no updater. Leaves DL4J's raw gradient (the sum over
   * the batch) in {@link #flatGradients()}.
   *
   * @return the batch-mean loss
   */
  double computeGradientAndScore(INDArray features, INDArray labels);

  /**
   * Forward and backward in training mode on a batch, for an attack: the gradient of the loss
   * with respect to the features, {@code [batch, numFeatures]}, each row that example's own loss's
   * gradient. Leaves the parameters and the flat gradient vector unused.
   *
   * @throws UnsupportedOperationException when this network type cannot give it
   */
  INDArray inputGradient(INDArray features, INDArray labels);

  /** Inference-mode output of the single output layer. */
  INDArray output(INDArray features);

  /** The layers that own parameters, each with the prefix DL4J uses in its parameter table. */
  List<NamedLayer> layers();

  /** Input features per example, read from the configuration. */
  int numFeatures();

  /** Output classes, read from the output layer's configuration. */
  int numClasses();

  /** Writes a DL4J model file without updater state. */
  void save(OutputStream out) throws IOException;

  /** Elements of the network's own flat gradient vector, 0 while it is not allocated. */
  long allocatedGradientElements();

  /** Runs this network one layer at a time, for {@link LayerwisePass}. */
  LayerwiseDriver layerwiseDriver();

  /**
   * One layer and the name DL4J gives it in the network's parameter table.
   *
   * @param prefix layer index (MultiLayerNetwork) or vertex name (ComputationGraph)
   * @param layer the runtime layer, whose {@code paramTable(false)} holds views of the flat vector
   */
  /** A copy of the network with parameters, activations and gradients in {@code type}. */
  org.deeplearning4j.nn.api.NeuralNetwork converted(org.nd4j.linalg.api.buffer.DataType type);

  /**
   * A new fp32 network of the same configuration, freshly initialised (its parameters are for the
   * caller to set: this network may have released its own), e.g. an attacker's.
   */
  org.deeplearning4j.nn.api.NeuralNetwork floatCopy();

  /** The DL4J network itself. */
  org.deeplearning4j.nn.api.NeuralNetwork dl4j();

  record NamedLayer(String prefix, Layer layer) {}
}
