package io.sparkzero.worker.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * Loads a user's DL4J model file (as written by {@code ModelSerializer.writeModel}) into a
 * {@link TrainableModel}.
 *
 * <p>The file does not say which network type it holds, so the loader reads its
 * {@code configuration.json}: a ComputationGraph configuration has a {@code vertices} object, a
 * MultiLayerNetwork one a {@code confs} list. Updater state in the file is ignored: the training
 * engine keeps its own optimizer state.
 */
public final class ModelLoader {

  private ModelLoader() {}

  /**
   * Loads the model file at {@code path}; the model is named after the file.
   *
   * @throws IOException naming the path when the file cannot be read or is no DL4J model file
   */
  public static TrainableModel load(Path path) throws IOException {
    NeuralNetwork network =
        isComputationGraph(path)
            ? ModelSerializer.restoreComputationGraph(path.toFile(), false)
            : ModelSerializer.restoreMultiLayerNetwork(path.toFile(), false);
    return Dl4jModel.wrap(path.getFileName().toString(), network);
  }

  /** Whether the model file holds a ComputationGraph rather than a MultiLayerNetwork. */
  static boolean isComputationGraph(Path path) throws IOException {
    if (!Files.isRegularFile(path)) {
      throw new IOException("cannot load model: " + path + " is not a readable file");
    }
    try (ZipFile zip = new ZipFile(path.toFile())) {
      ZipEntry entry = zip.getEntry(ModelSerializer.CONFIGURATION_JSON);
      if (entry == null) {
        throw new IOException(
            "cannot load model "
                + path
                + ": no "
                + ModelSerializer.CONFIGURATION_JSON
                + " inside; write it with DL4J's ModelSerializer.writeModel");
      }
      try (InputStream in = zip.getInputStream(entry)) {
        JsonNode conf =
            new ObjectMapper().readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        if (conf.has("vertices")) {
          return true;
        }
        if (conf.has("confs")) {
          return false;
        }
        throw new IOException(
            "cannot load model " + path + ": configuration is neither a MultiLayerNetwork nor a"
                + " ComputationGraph configuration");
      }
    } catch (ZipException e) {
      throw new IOException("cannot load model " + path + ": not a DL4J model file (zip)", e);
    }
  }
}
