package io.sparkzero.driver.cli;

import io.sparkzero.driver.options.JobConfig;
import io.sparkzero.driver.progress.Console;
import io.sparkzero.driver.train.SparkSessions;
import io.sparkzero.driver.train.TrainingJob;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spark-zero train job.yaml [--set key=value]...}. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train a network: validates the job, then runs one barrier stage per epoch.")
final class TrainCommand implements Callable<Integer> {

  @Parameters(index = "0", arity = "0..1", paramLabel = "JOB.yaml", description = "Job file (YAML).")
  Path jobFile;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one option (repeatable).")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    JobConfig config = JobConfig.load(jobFile, overrides);
    TrainingJob job = TrainingJob.checked(config, Console.system());
    try (SparkSession spark = SparkSessions.create(config)) {
      job.run(spark);
    }
    return 0;
  }
}
