package io.sparkzero.bench.model;

import io.sparkzero.worker.model.TrainableModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;

/**
 * Short names for the layers of a MultiLayerNetwork model, in layer order, by kind: {@code conv},
 * {@code pool}, {@code dense}, {@code output}, numbered from 1 when a kind occurs more than once
 * ({@code conv1, pool1, conv2, pool2, dense, output} for {@code fmnist-cnn}). These are the row
 * names {@code deploy/bench/torch_layer_profile.py} gives its modules, so the two profiles join by
 * name.
 *
 * <p>The names come from the configuration in the model's saved form: {@link TrainableModel} keeps
 * its DL4J network to itself, and {@link TrainableModel#save} is the public view of it.
 */
final class LayerNames {
  /** The entry DL4J's ModelSerializer writes the network configuration to. */
  private static final String CONFIGURATION_ENTRY = "configuration.json";

  private LayerNames() {}

  /**
   * One name per DL4J layer of {@code model}.
   *
   * @throws IllegalArgumentException if the model is not a MultiLayerNetwork
   */
  static List<String> of(TrainableModel model) throws IOException {
    MultiLayerConfiguration conf = configuration(model);
    List<String> kinds = new ArrayList<>();
    for (NeuralNetConfiguration layer : conf.getConfs()) {
      kinds.add(kind(layer.getLayer().getClass().getSimpleName()));
    }
    Map<String, Integer> total = new HashMap<>();
    kinds.forEach(kind -> total.merge(kind, 1, Integer::sum));
    Map<String, Integer> seen = new HashMap<>();
    List<String> names = new ArrayList<>();
    for (String kind : kinds) {
      int n = seen.merge(kind, 1, Integer::sum);
      names.add(total.get(kind) > 1 ? kind + n : kind);
    }
    return List.copyOf(names);
  }

  /** {@code ConvolutionLayer} is {@code conv}; a kind without a short name keeps its own. */
  private static String kind(String layerClass) {
    return switch (layerClass) {
      case "ConvolutionLayer" -> "conv";
      case "SubsamplingLayer" -> "pool";
      case "DenseLayer" -> "dense";
      case "OutputLayer" -> "output";
      default -> layerClass.replaceFirst("Layer$", "").toLowerCase(Locale.ROOT);
    };
  }

  private static MultiLayerConfiguration configuration(TrainableModel model) throws IOException {
    ByteArrayOutputStream saved = new ByteArrayOutputStream();
    model.save(saved);
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(saved.toByteArray()))) {
      for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
        if (entry.getName().equals(CONFIGURATION_ENTRY)) {
          String json = new String(zip.readAllBytes(), StandardCharsets.UTF_8);
          if (!json.contains("\"confs\"")) { // a ComputationGraph's configuration has vertices
            throw new IllegalArgumentException("model " + model.name()
                + " is not a MultiLayerNetwork: the layer profile follows one chain of layers");
          }
          return MultiLayerConfiguration.fromJson(json);
        }
      }
    }
    throw new IOException("model " + model.name() + " saved without " + CONFIGURATION_ENTRY);
  }
}
