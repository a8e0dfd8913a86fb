package io.sparkzero.driver.train;

import io.sparkzero.driver.options.JobConfig;
import io.sparkzero.driver.options.JobOptions;
import io.sparkzero.driver.spark.ConsoleLogging;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** Builds the job's Spark session from a validated configuration. */
public final class SparkSessions {
  private SparkSessions() {}

  /**
   * A session for the job. Under spark-submit the master and driver address come from it; the
   * {@code spark.master} option applies only when nothing else set one. Local masters bind to
   * loopback, and executors started on this host get the driver's logging configuration unless
   * the job sets {@code -Dlog4j2.configurationFile} for them itself.
   */
  public static SparkSession create(JobConfig config) {
    SparkConf conf = new SparkConf(true);
    conf.setAppName(config.get(JobOptions.JOB_NAME));
    conf.setMaster(master(config));
    if (conf.get("spark.master").startsWith("local")) {
      conf.setIfMissing("spark.driver.host", "127.0.0.1");
      conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
    }
    conf.set("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
    conf.set("spark.kryo.registrator", KryoRegistration.class.getName());
    // A barrier stage needs all its tasks at once; say so early instead of waiting for slots.
    conf.setIfMissing("spark.scheduler.barrier.maxConcurrentTasksCheck.maxFailures", "3");
    // Executors carry the ranks' live step metrics to the driver in their heartbeats: every 2 s
    // instead of 10 keeps progress current (spark-conf.spark.executor.heartbeatInterval overrides).
    conf.setIfMissing("spark.executor.heartbeatInterval", "2s");
    // spark-zero prints its own progress lines; Spark's progress bar would break them up.
    conf.setIfMissing("spark.ui.showConsoleProgress", "false");
    config.sparkConf().forEach(conf::set);
    if (isLocal(conf.get("spark.master"))) { // executors on this host can read the driver's file
      String key = "spark.executor.extraJavaOptions";
      String options = ConsoleLogging.executorJavaOptions(conf.get(key, null));
      if (options != null) {
        conf.set(key, options);
      }
    }
    return SparkSession.builder().config(conf).getOrCreate();
  }

  /**
   * The master {@link #create} gives the session, known before it exists: a {@code spark-conf.}
   * override, else spark-submit's (a system property), else the {@code spark.master} option.
   */
  public static String master(JobConfig config) {
    String master = setting(config, "spark.master");
    return master != null ? master : config.get(JobOptions.SPARK_MASTER);
  }

  /**
   * A Spark setting as the session will see it: the job's {@code spark-conf.} override, else
   * spark-submit's (a system property); null when neither sets it.
   */
  public static String setting(JobConfig config, String key) {
    String fromConf = config.sparkConf().get(key);
    return fromConf != null ? fromConf : new SparkConf(true).get(key, null);
  }

  /**
   * Whether every rank runs on this host: {@code local}, {@code local[N]}, {@code local[*]},
   * {@code local-cluster[..]}.
   */
  public static boolean isLocal(String master) {
    return master.equals("local") || master.startsWith("local[")
        || master.startsWith("local-cluster[");
  }
}
