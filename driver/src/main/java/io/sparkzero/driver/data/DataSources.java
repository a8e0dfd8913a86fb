package io.sparkzero.driver.data;

import io.sparkzero.worker.data.LabeledExample;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Loads any {@link DataSpec} into an RDD of {@link LabeledExample}: the one entry point the
 * training and pruning jobs use.
 *
 * <ul>
 *   <li>IDX is a single-file, sequential format (and usually gzipped, which cannot be split), so
 *       it is read on the driver through the Hadoop {@code FileSystem} API and parallelized: the
 *       whole data set passes through driver memory once (Fashion-MNIST train: about 190 MB as
 *       floats). For larger IDX data, convert it once with {@link IdxToParquet}.
 *   <li>Parquet is read by the executors with Spark SQL.
 *   <li>Synthetic data is generated on the executors.
 * </ul>
 *
 * Driver-read and synthetic data are cut into the partitions the caller names: the training data
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
    List<LabeledExample> examples = new ArrayList<>();
    IdxReadResult result = new IdxReader(spark.sparkContext().hadoopConfiguration(), policy)
        .read(spec, record -> examples.add(record.toExample()));
    JavaRDD<LabeledExample> rdd = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(examples, parallelism);
    return new LoadedData(rdd, result.numFeatures(), spec.numClasses(), result.count(),
        result.badRecords());
  }
}
