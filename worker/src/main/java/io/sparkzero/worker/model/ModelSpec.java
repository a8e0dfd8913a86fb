package io.sparkzero.worker.model;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Which model to train, as a job names it: a zoo name ({@code fmnist-cnn}) or a user's DL4J
 * model file ({@code file:/path/to/model.zip}).
 *
 * @param zooName the zoo model name, or null for a file
 * @param file the model file, or null for a zoo model
 */
public record ModelSpec(String zooName, Path file) {

  /** Prefix that marks a model file rather than a zoo name. */
  public static final String FILE_PREFIX = "file:";

  /** Exactly one of the two is set; a zoo name must be known. */
  public ModelSpec {
    if ((zooName == null) == (file == null)) {
      throw new IllegalArgumentException("a model spec names either a zoo model or a file");
    }
    if (zooName != null) {
      ModelZoo.architecture(zooName); // fails early, listing the known names
    }
  }

  /**
   * Parses {@code fmnist-cnn} or {@code file:/path/model.zip}.
   *
   * @throws IllegalArgumentException for an unknown zoo name or an empty path
   */
  public static ModelSpec parse(String text) {
    if (text.startsWith(FILE_PREFIX)) {
      String path = text.substring(FILE_PREFIX.length());
      if (path.isEmpty()) {
        throw new IllegalArgumentException("model spec '" + text + "' has an empty path");
      }
      return new ModelSpec(null, Path.of(path));
    }
    return new ModelSpec(text, null);
  }

  /**
   * Builds the model: a zoo model initialized from {@code seed}, or the file's network with its
   * stored parameters ({@code seed} unused).
   */
  public TrainableModel build(long seed) throws IOException {
    return zooName != null ? ModelZoo.build(zooName, seed) : ModelLoader.load(file);
  }

  @Override
  public String toString() {
    return zooName != null ? zooName : FILE_PREFIX + file;
  }
}
