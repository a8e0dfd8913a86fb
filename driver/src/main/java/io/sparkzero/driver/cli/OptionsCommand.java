package io.sparkzero.driver.cli;

import picocli.CommandLine.Command;

/** {@code spark-zero options}: the option reference as a Markdown table. */
@Command(name = "options", mixinStandardHelpOptions = true,
    description = "Print every job option with its default, allowed values and description.")
final class OptionsCommand implements Runnable {

  @Override
  public void run() {
    System.out.print(OptionsTable.markdown());
  }
}
