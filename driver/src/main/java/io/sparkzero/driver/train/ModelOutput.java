package io.sparkzero.driver.train;

import io.sparkzero.worker.model.Models;
import io.sparkzero.worker.model.TrainableModel;
import io.sparkzero.worker.model.FlatFloats;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/** Writes trained parameters as a DL4J model file on any Hadoop FileSystem, atomically. */
public final class ModelOutput {
  private ModelOutput() {}

  /** The bytes of the DL4J model file that {@link #write} would write. */
  public static byte[] bytes(String model, long seed, float[] params) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try {
      withParams(model, seed, params).save(out);
    } catch (IOException e) {
      throw new UncheckedIOException("serializing the model " + model + ": " + e.getMessage(), e);
    }
    return out.toByteArray();
  }

  private static TrainableModel withParams(String model, long seed, float[] params) {
    TrainableModel net = Models.create(model, seed);
    FlatFloats.copyFrom(params, net.params());
    return net;
  }

  static void write(SparkSession spark, String model, long seed, float[] params, String uri) {
    write(spark.sparkContext().hadoopConfiguration(), model, seed, params, uri);
  }

  /** The same with a Hadoop configuration (no Spark session needed). */
  static void write(Configuration conf, String model, long seed, float[] params, String uri) {
    TrainableModel net = withParams(model, seed, params);
    Path target = new Path(uri);
    Path temp = new Path(target.getParent(), "." + target.getName() + ".tmp");
    try {
      FileSystem fs = target.getFileSystem(conf);
      try (OutputStream out = fs.create(temp, true)) {
        net.save(out);
      }
      if (fs.exists(target) && !fs.delete(target, false)) {
        throw new IOException("could not replace the existing file " + target);
      }
      if (!fs.rename(temp, target)) {
        throw new IOException("rename " + temp + " -> " + target + " returned false");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing the model file " + uri + ": " + e.getMessage(), e);
    }
  }
}
