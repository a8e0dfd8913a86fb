package io.sparkzero.driver.cli;

import io.sparkzero.driver.options.JobConfig;
import io.sparkzero.driver.options.JobOptions;
import io.sparkzero.sharding.collective.CollectiveOptionSpecs;
import io.sparkzero.sharding.options.OptionSpec;
import java.util.stream.Stream;

/** The option reference as a Markdown table, made from the option specifications. */
final class OptionsTable {
  private OptionsTable() {}

  /** Every job option, then every pruning option, then every collective one, then {@code spark-conf.*}. */
  static String markdown() {
    StringBuilder sb = new StringBuilder();
    sb.append("| key | default | allowed | description |\n|---|---|---|---|\n");
    for (OptionSpec<?> o : Stream.concat(JobConfig.OPTIONS.stream(), CollectiveOptionSpecs.ALL.stream())
        .toList()) {
      sb.append("| `").append(o.key()).append("` | `").append(cell(o.shownDefault()))
          .append("` | ").append(cell(o.allowed())).append(" | ").append(cell(o.doc()))
          .append(" |\n");
    }
    sb.append("| `").append(JobOptions.SPARK_CONF_PREFIX).append("*` | | any Spark setting | ")
        .append("Passed to Spark as is, e.g. `spark-conf.spark.executor.memory: 4g`. |\n");
    return sb.toString();
  }

  /** A cell's text with the table's separator escaped. */
  private static String cell(String text) {
    return text.replace("|", "\\|");
  }
}
