package io.sparkzero.worker.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Builds the job's model on a rank or an evaluation task: a zoo architecture initialised from the
 * seed, or a user's DL4J model file on any Hadoop FileSystem ({@code file:hdfs://nn/m.zip},
 * {@code file:/local/m.zip}).
 */
public final class Models {
  private Models() {}

  /** The model named by {@code spec}; a file is fetched to a local temporary copy first. */
  public static TrainableModel create(String spec, long seed) {
    if (!spec.startsWith(ModelSpec.FILE_PREFIX)) {
      return ModelZoo.build(spec, seed);
    }
    String uri = spec.substring(ModelSpec.FILE_PREFIX.length());
    try {
      Path path = new Path(uri);
      FileSystem fs = path.getFileSystem(new Configuration());
      try (InputStream in = fs.open(path)) {
        return load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("model " + spec + ": " + e.getMessage(), e);
    }
  }

  /**
   * The model in a DL4J model file read from {@code in}, through a local temporary copy (DL4J
   * reads its zip from a file).
   */
  public static TrainableModel load(InputStream in) throws IOException {
    java.nio.file.Path local = Files.createTempFile("spark-zero-model", ".zip");
    try {
      Files.copy(in, local, StandardCopyOption.REPLACE_EXISTING);
      return ModelLoader.load(local);
    } finally {
      try {
        Files.deleteIfExists(local);
      } catch (IOException ignored) {
        // a temporary file left in the temp dir is harmless
      }
    }
  }
}
