package io.sparkzero.driver.cli;

import io.sparkzero.driver.options.JobConfig;
import io.sparkzero.driver.progress.Console;
import io.sparkzero.driver.prune.PruneJob;
import io.sparkzero.driver.prune.PruneOutcome;
import io.sparkzero.driver.train.SparkSessions;
import io.sparkzero.pruning.SelectionSummary;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code spark-zero prune job.yaml [--set key=value]...}. */
@Command(name = "prune", mixinStandardHelpOptions = true,
    description = "Score the job's training data with pruning.metric (and pruning.also-score's metrics),"
        + " select what pruning.fraction keeps by pruning.metric, and write scores.parquet, summary.json and report.html into pruning.output.")
final class PruneCommand implements Callable<Integer> {

  @Mixin
  JobFile jobFile = new JobFile();

  @Override
  public Integer call() throws Exception {
    JobConfig config = jobFile.config();
    PruneJob job = PruneJob.checked(config, Console.system());
    try (SparkSession spark = SparkSessions.create(config)) {
      PruneOutcome outcome = job.run(spark);
      if (outcome.knnCheck() != null) {
        System.out.println("spark-zero: " + outcome.knnCheck().line());
      }
      SelectionSummary s = outcome.selection().summary();
      if (!outcome.scoringTimes().isEmpty()) {
        System.out.println("spark-zero: scoring took " + outcome.scoringTimes());
      }
      System.out.printf("spark-zero: %s kept %d of %d examples (%s); report files in %s%n", s.metric(),
          s.keptTotal(), s.examplesTotal(), s.policyReason(), job.settings().outputUri());
    }
    return 0;
  }
}
