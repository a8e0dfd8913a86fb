package io.sparkzero.driver.cli;

import io.sparkzero.driver.errors.ErrorKind;
import io.sparkzero.driver.errors.ErrorReport;
import io.sparkzero.driver.errors.UserErrors;
import io.sparkzero.driver.spark.ConsoleLogging;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine;

/**
 * Entry point of the {@code spark-zero} command. A failure ends with one {@code spark-zero:
 * error:} line (and perhaps a hint) and an exit code by kind ({@link ErrorKind}, README "Exit
 * codes"); {@code --verbose}, before or after the subcommand, adds stack traces and library logs.
 */
@Command(name = "spark-zero", mixinStandardHelpOptions = true, version = "spark-zero 0.1.0",
    description = "ZeRO-sharded synchronous training of DL4J networks on Spark, collectives over Aeron.",
    subcommands = {TrainCommand.class, PlanCommand.class, ImportCommand.class, OptionsCommand.class,
        ExportCommand.class, EvalCommand.class, ReportCommand.class, PruneCommand.class,
        ComparePruningCommand.class})
public final class SparkZeroCli implements Runnable {
  private static final String VERBOSE = "--verbose";

  /** Read from the parse result (it may sit on a subcommand); declared here for every command. */
  @Option(names = VERBOSE, scope = ScopeType.INHERIT,
      description = "Print stack traces for errors and the libraries' INFO logs.")
  boolean verbose;

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** Runs the command line and returns its exit code ({@link ErrorKind#exitCode()} on failure). */
  public static int execute(String... args) {
    CommandLine cli = new CommandLine(new SparkZeroCli());
    cli.setExecutionStrategy(parsed -> {
      if (verbose(parsed)) {
        ConsoleLogging.verbose();
      }
      return new CommandLine.RunLast().execute(parsed);
    });
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      ErrorReport report = UserErrors.classify(e);
      report.print(cmd.getErr(), verbose(parsed));
      return report.exitCode();
    });
    cli.setParameterExceptionHandler((e, badArgs) -> {
      CommandLine cmd = e.getCommandLine();
      new ErrorReport(ErrorKind.CONFIGURATION, UserErrors.oneLine(e.getMessage()),
          "'" + cmd.getCommandSpec().qualifiedName() + " --help' shows the usage", e)
          .print(cmd.getErr(), false);
      return ErrorKind.CONFIGURATION.exitCode();
    });
    return cli.execute(args);
  }

  /** Whether {@code --verbose} was given to the command or any of its subcommands. */
  private static boolean verbose(ParseResult parsed) {
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption(VERBOSE)) {
        return true;
      }
    }
    return false;
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }
}
