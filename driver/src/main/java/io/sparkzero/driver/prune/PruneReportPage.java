package io.sparkzero.driver.prune;

import io.sparkzero.pruning.ExampleScores;
import io.sparkzero.pruning.SelectionSummary;
import io.sparkzero.report.HtmlReport;
import io.sparkzero.report.Table;
import java.util.Locale;
import java.util.Map;

/**
 * {@code report.html}: the headline facts, the score distribution by class, the kept share per
 * class, for ssp the clusters' sizes and class mix, and a table of the per-class counts. One
 * self-contained page, made with the {@code report} module.
 */
final class PruneReportPage {
  private PruneReportPage() {}

  static String render(PruneOutcome outcome) {
    SelectionSummary s = outcome.selection().summary();
    PruneSettings settings = outcome.settings();
    String embedding = settings.needsEmbedding() ? settings.embedding() : "none (random needs none)";
    HtmlReport page = new HtmlReport("Data pruning report: " + s.metric());
    page.subtitle(outcome.data() + " · metric " + s.metric() + " · embedding " + embedding);
    page.fact("data", outcome.data());
    page.fact("metric", s.metric());
    page.fact("embedding", embedding);
    page.fact("policy", s.policyReason());
    page.fact("kept", s.keptTotal() + " of " + s.examplesTotal() + " (" + percent(s.fractionActual())
        + ", asked " + percent(s.fractionRequested()) + ")");
    if (outcome.scores().ssp() != null) {
      page.fact("clusters (k)", Integer.toString(outcome.scores().ssp().clusterCount()));
    }
    if (outcome.knnCheck() != null) {
      page.fact("k-NN check", outcome.knnCheck().line());
    }

    ExampleScores scores = outcome.scores().scores();
    page.section("Scores").chartOr(PruneCharts.scoreHistogram(scores), "No scores to draw.")
        .note("High score = hard. " + (s.policyUsed().configValue().equals("hard")
            ? "The kept examples are the highest scores, " : "The kept examples are the lowest scores, ")
            + "after each class's floor.");
    page.section("Kept per class").chartOr(PruneCharts.keptFraction(s), "The data has no labels.")
        .add(classTable(s))
        .note("Pruning before epochs is not wired into train yet: this page says what pruning would keep.");
    if (outcome.scores().ssp() != null) {
      page.section("Clusters").chartOr(PruneCharts.clusterMix(outcome.scores().ssp()), "No clusters.")
          .note("Clusters by size, largest first; each bar split by the classes of its examples.");
    }
    return page.render();
  }

  private static Table classTable(SelectionSummary s) {
    Table table = new Table("Examples per class", "class", "examples", "kept", "kept share",
        "random pruning's quota");
    for (Map.Entry<Integer, Long> e : s.examplesPerClass().entrySet()) {
      long kept = s.keptPerClass().getOrDefault(e.getKey(), 0L);
      table.row(Integer.toString(e.getKey()), Long.toString(e.getValue()), Long.toString(kept),
          percent((double) kept / e.getValue()), Long.toString(Math.round(s.fractionRequested() * e.getValue())));
    }
    return table;
  }

  static String percent(double share) {
    return String.format(Locale.ROOT, "%.1f%%", 100 * share);
  }
}
