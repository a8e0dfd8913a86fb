package io.sparkzero.driver.prune;

import io.sparkzero.pruning.PruningOptionSpecs;
import io.sparkzero.sharding.options.ConfigException;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.factory.Nd4j;

/** Driver-side checks of a model embedding: which layer, and whether the data fits its input. */
final class ModelLayers {
  private ModelLayers() {}

  /** The index of the layer {@code nameOrIndex}: its name, else its index in the network. */
  static int index(MultiLayerNetwork net, String nameOrIndex, String uri) {
    MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < conf.getConfs().size(); i++) {
      String name = conf.getConf(i).getLayer().getLayerName();
      names.add(i + (name == null ? "" : " (" + name + ")"));
      if (nameOrIndex.equals(name)) {
        return i;
      }
    }
    if (nameOrIndex.matches("\\d{1,9}") && Integer.parseInt(nameOrIndex) < names.size()) {
      return Integer.parseInt(nameOrIndex);
    }
    throw new ConfigException(PruningOptionSpecs.EMBEDDING_KEY, "the model " + uri + " has no layer '"
        + nameOrIndex + "'; its layers are " + String.join(", ", names));
  }

  /** Fails unless the network takes {@code numFeatures} inputs; one zero row is fed to make sure. */
  static void checkInput(MultiLayerNetwork net, int numFeatures, String uri) {
    MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
    Layer first = conf.getConf(0).getLayer();
    // A dense first layer states its input size; anything else (convolutions) is found out by trying.
    if (conf.getInputPreProcess(0) == null && first instanceof FeedForwardLayer dense
        && dense.getNIn() != numFeatures) {
      throw mismatch(uri, numFeatures, "its first layer takes " + dense.getNIn());
    }
    try {
      net.feedForwardToLayer(0, Nd4j.zeros(conf.getDataType(), 1, numFeatures), false);
    } catch (RuntimeException e) {
      throw mismatch(uri, numFeatures, "a forward pass failed: " + e.getMessage());
    }
  }

  private static ConfigException mismatch(String uri, int numFeatures, String why) {
    return new ConfigException(PruningOptionSpecs.EMBEDDING_KEY, "the model " + uri
        + " does not take the training data's " + numFeatures + " features: " + why);
  }
}
