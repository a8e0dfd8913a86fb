package io.sparkzero.driver.cli;

import io.sparkzero.driver.train.Consolidation;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spark-zero export CHECKPOINT_PATH MODEL_FILE [--step N]}. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Write one DL4J model file (ModelSerializer) from a sharded checkpoint, written"
        + " by any number of ranks; the checkpoint is checked end to end first.")
final class ExportCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "CHECKPOINT_PATH",
      description = "The job's checkpoint.path (any Hadoop FileSystem URI).")
  String checkpoint;

  @Parameters(index = "1", paramLabel = "MODEL_FILE",
      description = "Where to write the model file (any Hadoop FileSystem URI).")
  String output;

  @Option(names = "--step", paramLabel = "N", description = "Committed global step (default: the"
      + " newest).")
  Long step;

  @Override
  public Integer call() {
    Configuration conf = new Configuration();
    Consolidation.Consolidated c = Consolidation.read(checkpoint, step, conf);
    Consolidation.export(c, output, conf);
    System.out.printf("spark-zero: %s (model %s, %d parameters, global step %d) written to %s%n",
        c.uri(), c.model(), c.params().length, c.step(), output);
    return 0;
  }
}
