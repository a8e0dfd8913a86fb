package io.sparkzero.driver.data;

import org.apache.spark.sql.SparkSession;

/** Generates a {@link SyntheticSpec}'s examples as an RDD, each partition on its executor. */
public final class SyntheticSource {

  private SyntheticSource() {}

  /**
   * The examples of {@code spec}, ids {@code start .. start+n-1} in order across {@code numPartitions}
   * partitions. Nothing is computed until the RDD is used; the data do not depend on {@code
   * numPartitions}.
   */
  public static LoadedData generate(SparkSession spark, SyntheticSpec spec, int numPartitions) {
    if (numPartitions < 1) {
      throw new IllegalArgumentException("synthetic data: numPartitions = " + numPartitions
          + " must be >= 1");
    }
    var examples = spark.range(spec.firstId(), spec.firstId() + spec.count(), 1, numPartitions).javaRDD()
        .map(new SyntheticExampleMaker(spec));
    return new LoadedData(examples, spec.numFeatures(), spec.numClasses(), spec.count(),
        BadRecordReport.none());
  }
}
