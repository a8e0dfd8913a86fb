package io.sparkzero.driver.data;

import io.sparkzero.worker.data.ExampleChunk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Lists a plain IDX pair as {@link IdxChunk}s of consecutive ids, from the two headers alone.
 *
 * <p>A gzipped file is refused: a gzip stream can only be entered at its start, so every chunk
 * would inflate the file from the start up to its range, and an epoch would cost a quadratic
 * number of bytes. {@code spark-zero import} makes a Parquet copy that streams by row groups.
 */
public final class IdxChunks {

  private IdxChunks() {}

  /**
   * Chunks of at most {@code examplesPerChunk} consecutive ids, in id order.
   *
   * @param conf resolves the file systems (on a driver: the Spark context's {@code
   *     hadoopConfiguration()}); the chunks share one copy of it, taken now
   * @param policy what a chunk does with a bad record when it is read
   * @throws DataFormatException for a bad header, mismatched counts, or a gzipped file (naming it
   *     and the command that converts it)
   * @throws UncheckedIOException when a file cannot be opened
   * @throws IllegalArgumentException when {@code examplesPerChunk < 1}
   */
  public static List<ExampleChunk> list(Configuration conf, IdxSpec spec, BadRecordPolicy policy,
      int examplesPerChunk) {
    if (examplesPerChunk < 1) {
      throw new IllegalArgumentException("IDX " + spec.imagesUri() + ": examplesPerChunk = "
          + examplesPerChunk + " must be >= 1");
    }
    return list(conf, spec, new IdxReader(conf, policy).layout(spec), policy, examplesPerChunk);
  }

  /** As {@link #list(Configuration, IdxSpec, BadRecordPolicy, int)}, its headers read already. */
  static List<ExampleChunk> list(Configuration conf, IdxSpec spec, IdxLayout layout,
      BadRecordPolicy policy, int examplesPerChunk) {
    if (!layout.plain()) {
      throw gzipped(conf, spec);
    }
    SerializableConfiguration shared = new SerializableConfiguration(new Configuration(conf));
    List<ExampleChunk> chunks = new ArrayList<>();
    for (long from = 0; from < layout.count(); from += examplesPerChunk) {
      int to = (int) Math.min(from + examplesPerChunk, layout.count());
      chunks.add(new IdxChunk(shared, spec, policy, (int) from, to));
    }
    return chunks;
  }

  /** The refusal, naming the (first) gzipped file of the pair and the way out. */
  private static DataFormatException gzipped(Configuration conf, IdxSpec spec) {
    String file = !spec.labeled() || isGzipped(conf, spec.imagesUri(), IdxKind.IMAGES.noun())
        ? spec.imagesUri() : spec.labelsUri();
    // Images without labels would import with label -1, a bad row to the Parquet reader.
    String wayOut = spec.labeled()
        ? "convert the pair to Parquet once with '" + importCommand(spec)
            + "' and stream parquet:<out>"
        : "decompress it once (gunzip) and stream the plain file";
    return new DataFormatException(file, "byte offset 0", "the file is gzipped, and a gzip"
        + " stream can only be read from its start, so it cannot be streamed in chunks; " + wayOut
        + ", or set data.mode=memory to load it whole");
  }

  /** The {@code spark-zero import} command line that converts {@code spec}. */
  private static String importCommand(IdxSpec spec) {
    return "spark-zero import " + spec.imagesUri() + " <out> --labels " + spec.labelsUri()
        + (spec.numClasses() == DataSpec.DEFAULT_NUM_CLASSES ? ""
            : " --classes " + spec.numClasses());
  }

  private static boolean isGzipped(Configuration conf, String uri, String role) {
    try (IdxInput in = IdxInput.open(conf, uri, role)) {
      return in.gzipped();
    } catch (IOException e) {
      throw new UncheckedIOException("close IDX file " + uri, e);
    }
  }
}
