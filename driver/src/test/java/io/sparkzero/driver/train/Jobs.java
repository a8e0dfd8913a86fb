package io.sparkzero.driver.train;

import io.sparkzero.driver.options.JobConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** Runs a training job the way the CLI does, on its own session, for the end-to-end tests. */
final class Jobs {
  private Jobs() {}

  /** Runs {@code job}, its progress lines into {@code log}; the session is stopped after. */
  static TrainingReport run(Map<String, Object> job, ByteArrayOutputStream log) throws Exception {
    JobConfig config = JobConfig.of(job);
    try (SparkSession spark = SparkSessions.create(config)) {
      return new TrainingJob(config, new PrintStream(log, true)).run(spark);
    }
  }
}
