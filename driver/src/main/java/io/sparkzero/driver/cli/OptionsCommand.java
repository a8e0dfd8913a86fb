package io.sparkzero.driver.cli;

import io.sparkzero.driver.options.JobOptions;
import io.sparkzero.sharding.collective.CollectiveOptionSpecs;
import io.sparkzero.driver.options.OptionSpec;
import picocli.CommandLine.Command;

/** {@code spark-zero options}: the option reference as a Markdown table. */
@Command(name = "options", mixinStandardHelpOptions = true,
    description = "Print every job option with its default, allowed values and description.")
final class OptionsCommand implements Runnable {

  @Override
  public void run() {
    System.out.print(table());
  }

  /** The reference table, as the README shows it. */
  static String table() {
    StringBuilder sb = new StringBuilder();
    sb.append("| key | default | allowed | description |\n|---|---|---|---|\n");
    for (OptionSpec<?> o : JobOptions.ALL) {
      sb.append("| `").append(o.key()).append("` | `").append(o.shownDefault().replace("|", "\\|")).append("` | ")
          .append(o.allowed().replace("|", "\\|")).append(" | ").append(o.doc()).append(" |\n");
    }
    for (io.sparkzero.sharding.collective.OptionSpec o : CollectiveOptionSpecs.ALL) {
      sb.append("| `").append(o.key()).append("` | `").append(o.defaultValue()).append("` | ")
          .append(o.allowed().replace("|", "\\|")).append(" | ").append(o.doc()).append(" |\n");
    }
    sb.append("| `").append(JobOptions.SPARK_CONF_PREFIX).append("*` | | any Spark setting | ")
        .append("Passed to Spark as is, e.g. `spark-conf.spark.executor.memory: 4g`. |\n");
    return sb.toString();
  }
}
