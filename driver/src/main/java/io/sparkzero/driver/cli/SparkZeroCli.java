package io.sparkzero.driver.cli;

import io.sparkzero.sharding.options.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code spark-zero} command. */
@Command(name = "spark-zero", mixinStandardHelpOptions = true, version = "spark-zero 0.1.0",
    description = "ZeRO-sharded synchronous training of DL4J networks on Spark, collectives over Aeron.",
    subcommands = {TrainCommand.class, PlanCommand.class, ImportCommand.class, OptionsCommand.class,
        ExportCommand.class, EvalCommand.class, ReportCommand.class})
public final class SparkZeroCli implements Runnable {

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** Runs the command line and returns its exit code (2 for bad usage or configuration). */
  public static int execute(String... args) {
    CommandLine cli = new CommandLine(new SparkZeroCli());
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof ConfigException) {
        cmd.getErr().println("spark-zero: bad configuration: " + e.getMessage());
        return 2;
      }
      throw e;
    });
    return cli.execute(args);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }
}
