package io.sparkzero.driver.data;

import org.apache.spark.sql.SparkSession;

/**
 * Loads any {@link DataSpec} into an RDD of {@link io.sparkzero.worker.data.LabeledExample}: the
 * one entry point the training and pruning jobs use.
 *
 * <ul>
 *   <li>IDX is read by the executors through the Hadoop {@code FileSystem} API ({@link
 *       IdxSource}); the driver reads the headers only. Plain files are read in byte ranges, one
 *       per partition; a gzipped file, which cannot be entered mid-stream, by one task. For data
 *       read often, convert it once to Parquet with {@link IdxToParquet}.
 *   <li>Parquet is read by the executors with Spark SQL.
 *   <li>Synthetic data is generated on the executors.
 * </ul>
 *
 * IDX and synthetic data are cut into the partitions the caller names: the training data
 * into one per rank, so that which examples each rank trains on is a function of the job alone and
 * not of how many executor cores had registered when the data was loaded (Spark's default
 * parallelism on a cluster).
 */
public final class DataSources {

  private DataSources() {}

  /**
   * Loads {@code spec}.
   *
   * @param policy what to do with a bad record
   * @throws DataFormatException for data that break the format (always) or a bad record (under
   *     {@link BadRecordPolicy#FAIL})
   * @throws java.io.UncheckedIOException when a file cannot be opened or read
   */
  public static LoadedData load(SparkSession spark, DataSpec spec, BadRecordPolicy policy) {
    return load(spark, spec, policy, spark.sparkContext().defaultParallelism());
  }

  /**
   * Loads {@code spec}, driver-read and synthetic data in {@code parallelism} partitions.
   *
   * @param policy what to do with a bad record
   * @param parallelism how many partitions driver-read and synthetic data get
   */
  public static LoadedData load(SparkSession spark, DataSpec spec, BadRecordPolicy policy,
      int parallelism) {
    if (spec instanceof IdxSpec idx) {
      return loadIdx(spark, idx, policy, parallelism);
    }
    if (spec instanceof ParquetSpec parquet) {
      return ParquetSource.load(spark, parquet, policy);
    }
    return SyntheticSource.generate(spark, (SyntheticSpec) spec, parallelism);
  }

  private static LoadedData loadIdx(SparkSession spark, IdxSpec spec, BadRecordPolicy policy,
      int parallelism) {
    return IdxSource.load(spark, spec, policy, parallelism);
  }

  /**
   * The chunks of {@code spec} a streaming rank reads, listed from metadata: Parquet footers (a
   * chunk per row group), IDX headers (ranges of {@code examplesPerChunk} ids of a plain file; a
   * gzipped file is refused), synthetic ranges. Nothing of the data itself is read here but,
   * for Parquet without {@code features=N}, the first row's length.
   *
   * @param policy what a rank does with a bad record it meets
   */
  public static StreamChunks chunks(SparkSession spark, DataSpec spec, BadRecordPolicy policy,
      int examplesPerChunk) {
    org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
    if (spec instanceof IdxSpec idx) {
      IdxLayout layout = new IdxReader(conf, policy).layout(idx);
      return new StreamChunks(IdxChunks.list(conf, idx, layout, policy, examplesPerChunk),
          layout.rows() * layout.cols(), idx.numClasses());
    }
    if (spec instanceof ParquetSpec parquet) {
      int numFeatures = ParquetSource.numFeatures(spark, parquet);
      return new StreamChunks(ParquetRowGroups.list(conf, parquet, numFeatures, policy),
          numFeatures, parquet.numClasses());
    }
    SyntheticSpec synthetic = (SyntheticSpec) spec;
    return new StreamChunks(SyntheticChunks.list(synthetic, examplesPerChunk),
        synthetic.numFeatures(), synthetic.numClasses());
  }

  /**
   * A data set's chunks for streaming, with what the model needs to know of its examples.
   *
   * @param chunks in the source's order
   * @param numFeatures features per example
   * @param numClasses labels lie in {@code [0, numClasses)}
   */
  public record StreamChunks(java.util.List<io.sparkzero.worker.data.ExampleChunk> chunks,
      int numFeatures, int numClasses) {}
}
