package io.sparkzero.driver.cli;

import io.sparkzero.driver.options.JobOptions;
import io.sparkzero.sharding.collective.CollectiveOptionSpecs;
import io.sparkzero.sharding.options.OptionSpec;

/** The option reference as a Markdown table, made from the option specifications. */
final class OptionsTable {
  private OptionsTable() {}

  /** Every job option, then every collective option, then {@code spark-conf.*}. */
  static String markdown() {
    StringBuilder sb = new StringBuilder();
    sb.append("| key | default | allowed | description |\n|---|---|---|---|\n");
    for (OptionSpec<?> o : JobOptions.ALL) {
      row(sb, o.key(), o.shownDefault(), o.allowed(), o.doc());
    }
    for (io.sparkzero.sharding.collective.OptionSpec o : CollectiveOptionSpecs.ALL) {
      row(sb, o.key(), o.defaultValue(), o.allowed(), o.doc());
    }
    sb.append("| `").append(JobOptions.SPARK_CONF_PREFIX).append("*` | | any Spark setting | ")
        .append("Passed to Spark as is, e.g. `spark-conf.spark.executor.memory: 4g`. |\n");
    return sb.toString();
  }

  private static void row(StringBuilder sb, String key, String def, String allowed, String doc) {
    sb.append("| `").append(key).append("` | `").append(cell(def)).append("` | ")
        .append(cell(allowed)).append(" | ").append(cell(doc)).append(" |\n");
  }

  /** A cell's text with the table's separator escaped. */
  private static String cell(String text) {
    return text.replace("|", "\\|");
  }
}
