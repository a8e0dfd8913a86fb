package io.sparkzero.driver.prune;

import io.sparkzero.driver.report.OfflineBrowser;
import io.sparkzero.pruning.PruningMetric;
import io.sparkzero.pruning.PruningOptions;
import io.sparkzero.pruning.RandomScores;
import io.sparkzero.pruning.Selector;
import io.sparkzero.pruning.ssp.SspResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens pruning reports in headless Chromium with the network closed: no script error, every
 * chart drawn. The outcomes are made on the spot (no Spark): the page is a function of them.
 */
class PruneReportBrowserIT {
  private static final int N = 600;
  private static final int CLASSES = 6;
  private static final int CLUSTERS = 12;

  @RegisterExtension
  static final OfflineBrowser BROWSER = new OfflineBrowser();

  @TempDir
  Path dir;

  @Test
  void theSspReportDrawsEveryChartOffline() throws Exception {
    Random random = new Random(5);
    long[] ids = new long[N];
    int[] labels = new int[N];
    int[] clusters = new int[N];
    double[] scores = new double[N];
    long[] sizes = new long[CLUSTERS];
    long[][] mix = new long[CLUSTERS][CLASSES];
    for (int i = 0; i < N; i++) {
      ids[i] = i;
      labels[i] = i % CLASSES;
      clusters[i] = (labels[i] * 2 + random.nextInt(2)) % CLUSTERS;
      scores[i] = random.nextDouble() * (1 + labels[i]) / CLASSES;
      sizes[clusters[i]]++;
      mix[clusters[i]][labels[i]]++;
    }
    SspResult ssp = new SspResult(ids, labels, clusters, scores, new double[CLUSTERS][1], sizes, mix);
    PruneScores pruneScores = new PruneScores(Map.of("ssp", ssp.toExampleScores()), ssp);
    Path page = render(pruneScores, "ssp");
    BROWSER.assertDrawsOffline(page, List.of("score-histogram", "kept-fraction", "cluster-mix"));
  }

  @Test
  void theRandomReportDrawsEveryChartOffline() throws Exception {
    long[] ids = new long[N];
    int[] labels = new int[N];
    for (int i = 0; i < N; i++) {
      ids[i] = i;
      labels[i] = i % CLASSES;
    }
    Path page = render(new PruneScores(Map.of("random", RandomScores.of(1, ids, labels)), null), "random");
    BROWSER.assertDrawsOffline(page, List.of("score-histogram", "kept-fraction"));
  }

  private Path render(PruneScores scores, String metric) throws Exception {
    PruneSettings settings = new PruneSettings(List.of(PruningMetric.of("pruning.metric", metric)), "pixels", 0,
        new PruneSettings.Probes(2, 3, 1), dir.toUri().toString(),
        PruningOptions.defaults().withFraction(0.4), 1);
    PruneOutcome outcome = new PruneOutcome("synthetic:n=" + N, settings, scores,
        Selector.select(scores.scores(), settings.selection(), 1));
    Path page = dir.resolve(metric + ".html");
    Files.writeString(page, PruneReportPage.render(outcome));
    return page;
  }
}
