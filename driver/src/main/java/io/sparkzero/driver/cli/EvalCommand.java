package io.sparkzero.driver.cli;

import io.sparkzero.driver.eval.Evaluator;
import io.sparkzero.driver.options.JobConfig;
import io.sparkzero.driver.options.JobOptions;
import io.sparkzero.driver.train.Consolidation;
import io.sparkzero.driver.train.JobValidation;
import io.sparkzero.driver.train.SparkSessions;
import io.sparkzero.sharding.options.ConfigException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code spark-zero eval (--model-file URI | --checkpoint PATH [--step N]) [JOB.yaml] [--set
 * data.test=SPEC]...}: accuracy of a model file or of a checkpoint on the job's {@code data.test}.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = "Evaluate a DL4J model file or a sharded checkpoint on a data set (data.test).")
final class EvalCommand implements Callable<Integer> {

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  static final class Source {
    @Option(names = "--model-file", paramLabel = "URI", description = "A DL4J model file.")
    String modelFile;

    @Option(names = "--checkpoint", paramLabel = "PATH", description = "A checkpoint.path.")
    String checkpoint;
  }

  @Option(names = "--step", paramLabel = "N",
      description = "With --checkpoint: committed global step (default: the newest).")
  Long step;

  @Parameters(index = "0", arity = "0..1", paramLabel = "JOB.yaml",
      description = "Job file for data.test, spark.master and eval.batch-size.")
  Path jobFile;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one option (repeatable).")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    JobConfig config = JobConfig.load(jobFile, overrides);
    if (config.get(JobOptions.DATA_TEST).isEmpty()) {
      throw new ConfigException(JobOptions.DATA_TEST.key(), "is empty: name the data set to"
          + " evaluate on, e.g. --set data.test=idx:/path/t10k-images-idx3-ubyte.gz");
    }
    JobValidation.check(config);
    try (SparkSession spark = SparkSessions.create(config)) {
      Consolidation.Consolidated checkpoint = source.checkpoint == null ? null
          : Consolidation.read(source.checkpoint, step,
              spark.sparkContext().hadoopConfiguration());
      Evaluator.Result result =
          Consolidation.evaluate(spark, config, source.modelFile, checkpoint);
      System.out.printf("spark-zero: %s: %s %.4f on %d examples%n",
          checkpoint != null ? checkpoint.uri() : source.modelFile,
          result.reconstructs() ? "reconstruction loss" : "accuracy",
          result.reconstructs() ? result.reconstructionLoss() : result.accuracy(), result.examples());
      Evaluator.Robust robust = Consolidation.evaluateRobust(spark, config, source.modelFile, checkpoint);
      if (robust != null) {
        System.out.printf("spark-zero: %s: robust accuracy %.4f under %s on %d examples%n",
            checkpoint != null ? checkpoint.uri() : source.modelFile, robust.accuracy(), robust.describe(),
            robust.examples());
      }
    }
    return 0;
  }
}
