package io.sparkzero.driver.cli;

import io.sparkzero.driver.report.TrainingReportPage;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code spark-zero report METRICS_URI OUT_HTML}. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Write the training report of a run, one self-contained HTML page that opens"
        + " offline, from the run's metrics file (output.metrics); works while the run is going"
        + " on.")
final class ReportCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "METRICS_URI",
      description = "The run's metrics file (any Hadoop FileSystem URI).")
  String metrics;

  @Parameters(index = "1", paramLabel = "OUT_HTML",
      description = "Where to write the page (any Hadoop FileSystem URI); replaced if present.")
  String output;

  @Override
  public Integer call() {
    TrainingReportPage.write(new Configuration(), metrics, output);
    System.out.printf("spark-zero: the report of %s written to %s%n", metrics, output);
    return 0;
  }
}
