package io.sparkzero.driver.train;

import io.sparkzero.driver.data.BadRecordPolicy;
import io.sparkzero.driver.data.DataSources;
import io.sparkzero.driver.data.DataSpec;
import io.sparkzero.driver.data.LoadedData;
import io.sparkzero.driver.options.JobConfig;
import io.sparkzero.driver.options.JobOptions;
import io.sparkzero.sharding.options.ConfigException;
import io.sparkzero.sharding.options.OptionSpec;
import io.sparkzero.worker.data.StreamPlan;
import org.apache.spark.sql.SparkSession;

/** Loads the job's training and test data as the options describe them (for train and prune). */
public final class JobData {
  private JobData() {}

  /**
   * The training data ({@code data.train}), cut to {@code data.limit} when set, in one partition
   * per rank whatever the cluster (so every master gives every rank the same examples).
   */
  public static LoadedData loadTrain(SparkSession spark, JobConfig config) {
    return limited(load(spark, config, JobOptions.DATA_TRAIN, config.get(JobOptions.WORLD_SIZE)),
        config);
  }

  /** {@code data} cut to {@code data.limit}: the examples with an id below it, when set. */
  public static LoadedData limited(LoadedData data, JobConfig config) {
    int limit = config.get(JobOptions.DATA_LIMIT);
    if (limit == 0) {
      return data;
    }
    long max = limit;
    return new LoadedData(data.examples().filter(e -> e.id() < max), data.numFeatures(),
        data.numClasses(), Math.min(data.count(), max), data.badRecords());
  }

  /**
   * What the ranks stream ({@code data.mode stream}): the chunks of {@code data.train}, listed
   * from metadata, with the window and read-ahead options.
   */
  public static StreamPlan streamPlan(SparkSession spark, JobConfig config) {
    BadRecordPolicy policy = BadRecordPolicy.parse(config.get(JobOptions.DATA_ON_BAD_RECORD));
    DataSources.StreamChunks chunks = DataSources.chunks(spark, spec(config,
        JobOptions.DATA_TRAIN), policy, config.get(JobOptions.DATA_CHUNK_EXAMPLES));
    return new StreamPlan(chunks.chunks(), config.get(JobOptions.DATA_SHUFFLE_WINDOW),
        config.get(JobOptions.DATA_READ_AHEAD_BYTES), chunks.numFeatures(), chunks.numClasses());
  }

  /** The test data ({@code data.test}), whole. */
  public static LoadedData loadTest(SparkSession spark, JobConfig config) {
    return load(spark, config, JobOptions.DATA_TEST, spark.sparkContext().defaultParallelism());
  }

  /** Parses a data option; a malformed spec is a configuration error naming the option. */
  public static DataSpec spec(JobConfig config, OptionSpec<String> option) {
    String text = config.get(option);
    try {
      return DataSpec.parse(text);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(option.key(), e.getMessage());
    }
  }

  private static LoadedData load(SparkSession spark, JobConfig config, OptionSpec<String> option,
      int parallelism) {
    BadRecordPolicy policy = BadRecordPolicy.parse(config.get(JobOptions.DATA_ON_BAD_RECORD));
    return DataSources.load(spark, spec(config, option), policy, parallelism);
  }
}
