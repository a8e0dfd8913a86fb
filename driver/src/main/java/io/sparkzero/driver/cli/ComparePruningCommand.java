package io.sparkzero.driver.cli;

import io.sparkzero.driver.options.JobConfig;
import io.sparkzero.driver.prune.PruningComparison;
import io.sparkzero.driver.train.SparkSessions;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code spark-zero compare-pruning job.yaml --output URI [--arms ...] [--fractions ...] [--seeds ...]}. */
@Command(name = "compare-pruning", mixinStandardHelpOptions = true,
    description = "Train the job on each pruned set (each arm, fraction and seed) and on all the data,"
        + " and write each run's test accuracy to experiment.json in --output, with the scores and the"
        + " pruning report under --output/scores.")
final class ComparePruningCommand implements Callable<Integer> {

  @Mixin
  JobFile jobFile = new JobFile();

  @Option(names = "--output", required = true, paramLabel = "URI",
      description = "Directory (any Hadoop FileSystem URI) for experiment.json and the scores.")
  String output;

  @Option(names = "--arms", split = ",", paramLabel = "METRIC[:hard|easy]",
      defaultValue = "ssp:hard,ssp:easy,el2n:hard,random",
      description = "Pruned arms, comma-separated (default: ${DEFAULT-VALUE}).")
  List<String> arms;

  @Option(names = "--fractions", split = ",", paramLabel = "F", defaultValue = "0.5,0.7,0.9",
      description = "Kept fractions, each in (0, 1) (default: ${DEFAULT-VALUE}).")
  List<Double> fractions;

  @Option(names = "--seeds", split = ",", paramLabel = "SEED", defaultValue = "1,2,3",
      description = "Training seeds (default: ${DEFAULT-VALUE}).")
  List<Long> seeds;

  @Override
  public Integer call() throws Exception {
    JobConfig config = jobFile.config();
    PruningComparison comparison = PruningComparison.checked(config,
        arms.stream().map(PruningComparison.Arm::parse).toList(), fractions, seeds, output, System.out);
    try (SparkSession spark = SparkSessions.create(config)) {
      comparison.run(spark);
    }
    return 0;
  }
}
