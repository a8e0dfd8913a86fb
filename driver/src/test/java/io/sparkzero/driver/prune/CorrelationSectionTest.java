package io.sparkzero.driver.prune;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkzero.report.HtmlReport;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CorrelationSectionTest {

  @Test
  void everyPairOfMetricsHasItsRhoAndAConstantMetricIsUndefined() {
    Map<String, double[]> scores = new LinkedHashMap<>();
    scores.put("ssp", new double[] {0.1, 0.2, 0.3, 0.4});
    scores.put("el2n", new double[] {4, 3, 2, 1});
    scores.put("forgetting", new double[] {2, 2, 2, 2});
    StringBuilder html = new StringBuilder();
    CorrelationSection.table(scores).appendHtml(html, "table");
    assertThat(html.toString()).contains(
        "<th>metric</th><th>ssp</th><th>el2n</th><th>forgetting</th>",
        "<td>ssp</td><td>1.000</td><td>-1.000</td><td>undefined (constant scores)</td>",
        "<td>el2n</td><td>-1.000</td><td>1.000</td><td>undefined (constant scores)</td>",
        "<td>forgetting</td><td>undefined (constant scores)</td><td>undefined (constant scores)</td>");
  }

  @Test
  void oneMetricSaysThatCorrelationsNeedTwo() {
    HtmlReport page = new HtmlReport("t");
    CorrelationSection.add(page, Map.of("ssp", new double[] {1, 2}));
    assertThat(page.render()).contains("Rank correlations need two or more metrics; this run scored only ssp.")
        .doesNotContain("Spearman rank correlation</h3>");
  }
}
