package io.sparkzero.driver.prune;

import io.sparkzero.pruning.ExampleScores;
import io.sparkzero.pruning.SelectionSummary;
import io.sparkzero.report.HtmlReport;
import io.sparkzero.report.Table;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code report.html}: the headline facts, the score distribution by class, the kept share per
 * class, for ssp the clusters' sizes and class mix, a table of the per-class counts, the easiest,
 * hardest and most ambiguous examples of each class, the rank correlations between metrics and
 * test accuracy against the kept fraction. One self-contained page, made with the {@code report}
 * module.
 */
public final class PruneReportPage {
  private PruneReportPage() {}

  /**
   * The page for {@code outcome} with {@code inputs}; {@code prune} gathers them with {@link
   * ReportInputs#gather}, the comparison command adds its results with {@link
   * ReportInputs#withExperiment}.
   */
  public static String render(PruneOutcome outcome, ReportInputs inputs) {
    SelectionSummary s = groups(outcome.selection().summary());
    PruneSettings settings = outcome.settings();
    String embedding = settings.needsEmbedding() ? settings.embedding() : "none (random needs none)";
    HtmlReport page = new HtmlReport("Data pruning report: " + s.metric());
    page.subtitle(outcome.data() + " · metric " + s.metric() + " · embedding " + embedding);
    page.fact("data", outcome.data());
    page.fact("metric", s.metric());
    if (outcome.allScores().size() > 1) {
      page.fact("also scored", String.join(", ", outcome.allScores().keySet().stream().skip(1).toList())
          + " (columns of scores.parquet)");
    }
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
        .note("train keeps the same examples with these options, or reads this run's scores with"
            + " pruning.scores set to its output directory.");
    if (outcome.scores().ssp() != null) {
      page.section("Clusters").chartOr(PruneCharts.clusterMix(outcome.scores().ssp()), "No clusters.")
          .note("Clusters by size, largest first; each bar split by the classes of its examples.");
    }
    if (inputs.thumbnails() != null) {
      ThumbnailSection.add(page, scores, outcome.scores().margins(), outcome.selection(), inputs.thumbnails());
    }
    CorrelationSection.add(page, inputs.scoresByMetric());
    AccuracySection.add(page, inputs.experiment());
    return page.render();
  }

  /**
   * The summary with unlabelled data as one group (label {@link ExampleScores#UNLABELED}), so the
   * per-class parts of the page show it as one class, which is how the selection treats it.
   */
  static SelectionSummary groups(SelectionSummary s) {
    if (!s.examplesPerClass().isEmpty()) {
      return s;
    }
    return new SelectionSummary(s.metric(), s.policyUsed(), s.policyReason(), s.examplesTotal(), s.keptTotal(),
        s.fractionRequested(), new TreeMap<>(Map.of(ExampleScores.UNLABELED, s.examplesTotal())),
        new TreeMap<>(Map.of(ExampleScores.UNLABELED, s.keptTotal())));
  }

  private static Table classTable(SelectionSummary s) {
    Table table = new Table("Examples per class", "class", "examples", "kept", "kept share",
        "random pruning's quota");
    for (Map.Entry<Integer, Long> e : s.examplesPerClass().entrySet()) {
      long kept = s.keptPerClass().getOrDefault(e.getKey(), 0L);
      table.row(e.getKey() == ExampleScores.UNLABELED ? "unlabelled" : Integer.toString(e.getKey()), Long.toString(e.getValue()), Long.toString(kept),
          percent((double) kept / e.getValue()), Long.toString(Math.round(s.fractionRequested() * e.getValue())));
    }
    return table;
  }

  static String percent(double share) {
    return String.format(Locale.ROOT, "%.1f%%", 100 * share);
  }
}
