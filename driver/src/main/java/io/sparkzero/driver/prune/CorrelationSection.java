package io.sparkzero.driver.prune;

import io.sparkzero.pruning.RankCorrelation;
import io.sparkzero.report.HtmlReport;
import io.sparkzero.report.Section;
import io.sparkzero.report.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report's rank correlations: Spearman's rho between every pair of scored metrics, as a
 * matrix. Two metrics that rank alike keep alike, whatever their scales; one near 0 against
 * another says they see different examples as hard.
 */
final class CorrelationSection {
  private CorrelationSection() {}

  /**
   * Adds the section to {@code page}.
   *
   * @param scoresByMetric each metric's scores of the same examples in the same order, in the
   *     order the table lists them
   */
  static void add(HtmlReport page, Map<String, double[]> scoresByMetric) {
    Section section = page.section("Rank correlation between metrics");
    if (scoresByMetric.size() < 2) {
      section.note("Rank correlations need two or more metrics; this run scored "
          + (scoresByMetric.isEmpty() ? "none" : "only " + scoresByMetric.keySet().iterator().next()) + ".");
      return;
    }
    section.add(table(scoresByMetric)).note("Spearman's rho of the two metrics' scores over every example"
        + " (ties at their average rank): 1 = the same order, -1 = the reverse, 0 = unrelated;"
        + " undefined where a metric gives every example the same score.");
  }

  /** The symmetric matrix, one row and one column per metric. */
  static Table table(Map<String, double[]> scoresByMetric) {
    List<String> names = new ArrayList<>(scoresByMetric.keySet());
    List<String> headers = new ArrayList<>(List.of("metric"));
    headers.addAll(names);
    Table table = new Table("Spearman rank correlation", headers.toArray(String[]::new));
    for (String row : names) {
      List<String> cells = new ArrayList<>(List.of(row));
      for (String column : names) {
        double rho = RankCorrelation.spearman(scoresByMetric.get(row), scoresByMetric.get(column));
        cells.add(Double.isNaN(rho) ? "undefined (constant scores)" : String.format(Locale.ROOT, "%.3f", rho));
      }
      table.row(cells.toArray(String[]::new));
    }
    return table;
  }
}
