package io.sparkzero.driver.cli;

import io.sparkzero.driver.options.JobConfig;
import io.sparkzero.driver.progress.Console;
import io.sparkzero.driver.train.SparkSessions;
import io.sparkzero.driver.train.TrainingJob;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code spark-zero train job.yaml [--set key=value]...}. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train a network: validates the job, then runs one barrier stage per epoch.")
final class TrainCommand implements Callable<Integer> {

  @Mixin
  JobFile jobFile = new JobFile();

  @Override
  public Integer call() throws Exception {
    JobConfig config = jobFile.config();
    TrainingJob job = TrainingJob.checked(config, Console.system());
    try (SparkSession spark = SparkSessions.create(config)) {
      job.run(spark);
    }
    return 0;
  }
}
