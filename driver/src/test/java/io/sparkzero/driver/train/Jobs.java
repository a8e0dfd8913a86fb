package io.sparkzero.driver.train;

import io.sparkzero.driver.cli.SparkZeroCli;
import io.sparkzero.driver.options.JobConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** Runs a training job or a command the way the CLI does, for the end-to-end tests. */
final class Jobs {
  private Jobs() {}

  /** Runs {@code job}, its progress lines into {@code log}; the session is stopped after. */
  static TrainingReport run(Map<String, Object> job, ByteArrayOutputStream log) throws Exception {
    JobConfig config = JobConfig.of(job);
    try (SparkSession spark = SparkSessions.create(config)) {
      return TrainingJob.checked(config, new PrintStream(log, true)).run(spark);
    }
  }

  /** Runs the command line {@code args}, its standard output into {@code stdout}; the exit code. */
  static int cli(ByteArrayOutputStream stdout, String... args) {
    PrintStream saved = System.out;
    try {
      System.setOut(new PrintStream(stdout, true));
      return SparkZeroCli.execute(args);
    } finally {
      System.setOut(saved);
    }
  }
}
