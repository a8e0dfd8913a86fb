package io.sparkzero.driver.progress;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkzero.driver.report.TrainingReportPage;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/**
 * The training report ({@code output.report}) of a running job, rewritten from every line the
 * run has written so far, so a long job has a report to read before it ends. Keeps the lines
 * only when a report is wanted. A report that cannot be written is a warning: the training goes
 * on, and the metrics file (when there is one) still holds everything.
 */
final class LiveReport {
  private final String uri; // empty: no report
  private final Configuration hadoop;
  private final List<ObjectNode> lines = new ArrayList<>();
  private boolean warned;

  LiveReport(String uri, Configuration hadoop) {
    this.uri = uri;
    this.hadoop = hadoop;
  }

  void keep(ObjectNode line) {
    if (!uri.isEmpty()) {
      lines.add(line);
    }
  }

  /** Writes the report, saying on {@code out} where (the first time) or why it could not. */
  void render(PrintStream out, boolean last) {
    if (uri.isEmpty()) {
      return;
    }
    try {
      TrainingReportPage.write(hadoop, lines, uri);
      if (last) {
        out.println("spark-zero: training report written to " + uri);
      }
    } catch (RuntimeException | LinkageError e) { // LinkageError: a jar missing from the classpath
      if (!warned || last) {
        out.println("spark-zero: warning: the training report could not be written to " + uri
            + ": " + e.getMessage());
        warned = true;
      }
    }
  }
}
