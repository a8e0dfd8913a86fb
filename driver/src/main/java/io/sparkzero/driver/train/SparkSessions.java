package io.sparkzero.driver.train;

import io.sparkzero.driver.options.JobConfig;
import io.sparkzero.driver.options.JobOptions;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** Builds the job's Spark session from a validated configuration. */
public final class SparkSessions {
  private SparkSessions() {}

  /**
   * A session for the job. Under spark-submit the master and driver address come from it; the
   * {@code spark.master} option applies only when nothing else set one. Local masters bind to
   * loopback.
   */
  public static SparkSession create(JobConfig config) {
    SparkConf conf = new SparkConf(true);
    conf.setAppName(config.get(JobOptions.JOB_NAME));
    if (!conf.contains("spark.master")) {
      conf.setMaster(config.get(JobOptions.SPARK_MASTER));
    }
    if (conf.get("spark.master").startsWith("local")) {
      conf.setIfMissing("spark.driver.host", "127.0.0.1");
      conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
    }
    conf.set("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
    conf.set("spark.kryo.registrator", KryoRegistration.class.getName());
    // A barrier stage needs all its tasks at once; say so early instead of waiting for slots.
    conf.setIfMissing("spark.scheduler.barrier.maxConcurrentTasksCheck.maxFailures", "3");
    config.sparkConf().forEach(conf::set);
    return SparkSession.builder().config(conf).getOrCreate();
  }
}
