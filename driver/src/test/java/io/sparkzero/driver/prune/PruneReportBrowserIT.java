package io.sparkzero.driver.prune;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkzero.driver.report.OfflineBrowser;
import io.sparkzero.pruning.PruningMetric;
import io.sparkzero.pruning.ExampleScores;
import io.sparkzero.pruning.PruningOptions;
import io.sparkzero.pruning.RandomScores;
import io.sparkzero.pruning.Selector;
import io.sparkzero.pruning.ssp.SspResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens pruning reports in headless Chromium with the network closed: no script error, every
 * chart drawn, the thumbnails decoded as images, the correlation table and the accuracy chart
 * there. The outcomes are made on the spot (no Spark): the page is a function of them.
 */
class PruneReportBrowserIT {
  private static final int N = 600;
  private static final int CLASSES = 6;
  private static final int CLUSTERS = 12;
  private static final int PER_ROW = 8;
  private static final int SIDE = 28;

  @RegisterExtension
  static final OfflineBrowser BROWSER = new OfflineBrowser();

  @TempDir
  Path dir;

  @Test
  void theSspReportDrawsEveryChartThumbnailAndTheExperimentOffline() throws Exception {
    Random random = new Random(5);
    long[] ids = new long[N];
    int[] labels = new int[N];
    int[] clusters = new int[N];
    double[] scores = new double[N];
    double[] seconds = new double[N];
    long[] sizes = new long[CLUSTERS];
    long[][] mix = new long[CLUSTERS][CLASSES];
    for (int i = 0; i < N; i++) {
      ids[i] = i;
      labels[i] = i % CLASSES;
      clusters[i] = (labels[i] * 2 + random.nextInt(2)) % CLUSTERS;
      scores[i] = random.nextDouble() * (1 + labels[i]) / CLASSES;
      seconds[i] = scores[i] + random.nextDouble() * 0.5;
      sizes[clusters[i]]++;
      mix[clusters[i]][labels[i]]++;
    }
    SspResult ssp = new SspResult(ids, labels, clusters, scores, seconds, new double[CLUSTERS][1], sizes, mix);
    PruneScores pruneScores = new PruneScores(Map.of("ssp", ssp.toExampleScores()), ssp);
    Map<String, double[]> byMetric = new LinkedHashMap<>();
    byMetric.put("ssp", scores);
    byMetric.put("random", random.doubles(N).toArray());
    Path results = dir.resolve("results.json");
    Files.writeString(results, """
        {"model": "fmnist-cnn", "epochs": 3, "data": "synthetic", "runs": [
          {"metric": "ssp", "keep": "hard", "fraction": 0.5, "seed": 1, "test_accuracy": 0.85, "kept_examples": 300, "train_seconds": 5},
          {"metric": "ssp", "keep": "hard", "fraction": 0.5, "seed": 2, "test_accuracy": 0.87, "kept_examples": 300, "train_seconds": 5},
          {"metric": "ssp", "keep": "hard", "fraction": 0.8, "seed": 1, "test_accuracy": 0.89, "kept_examples": 480, "train_seconds": 8},
          {"metric": "random", "keep": "hard", "fraction": 0.5, "seed": 1, "test_accuracy": 0.83, "kept_examples": 300, "train_seconds": 5},
          {"metric": "random", "keep": "hard", "fraction": 0.8, "seed": 1, "test_accuracy": 0.86, "kept_examples": 480, "train_seconds": 8},
          {"metric": "none", "keep": "all", "fraction": 1.0, "seed": 1, "test_accuracy": 0.90, "kept_examples": 600, "train_seconds": 10}]}
        """);
    ExperimentResults experiment = ExperimentResults.read(new Configuration(), results.toUri().toString());

    Path page = render(pruneScores, "ssp", byMetric, experiment);
    BROWSER.assertDrawsOffline(page, List.of("score-histogram", "kept-fraction", "cluster-mix",
        "accuracy-vs-fraction"));
    assertThumbnailsDecoded(CLASSES * 3 * PER_ROW);
    assertThat(BROWSER.script("""
        return Array.from(document.querySelectorAll('table')).some(function (t) {
          var heads = Array.from(t.querySelectorAll('th')).map(function (th) { return th.textContent; });
          return heads.join(',') === 'metric,ssp,random' && t.querySelectorAll('tbody tr').length === 2;
        });""")).as("the correlation table, a row per metric").isEqualTo(true);
    // ssp/hard, random/hard and the full data's reference line.
    assertThat(BROWSER.script("""
        var chart = echarts.getInstanceByDom(document.querySelector('[data-chart="accuracy-vs-fraction"]'));
        return chart.getOption().series.map(function (s) { return s.name; });"""))
        .asList().containsExactly("random/hard", "ssp/hard", "full data (reference)");
  }

  @Test
  void theRandomReportDrawsEveryChartAndSaysWhatItCannotShow() throws Exception {
    long[] ids = new long[N];
    int[] labels = new int[N];
    for (int i = 0; i < N; i++) {
      ids[i] = i;
      labels[i] = i % CLASSES;
    }
    ExampleScores random = RandomScores.of(1, ids, labels);
    double[] values = new double[N];
    for (int i = 0; i < N; i++) {
      values[i] = random.score(i);
    }
    Path page = render(new PruneScores(Map.of("random", random), null), "random", Map.of("random", values), null);
    BROWSER.assertDrawsOffline(page, List.of("score-histogram", "kept-fraction"));
    assertThumbnailsDecoded(CLASSES * 2 * PER_ROW); // no ambiguous row without clusters
    assertThat((String) BROWSER.script("return document.body.textContent")).contains(
        "random has no ambiguity measure", "Rank correlations need two or more metrics",
        "No experiment has run");
  }

  /** Every thumbnail loaded and decoded: a broken data URI has a natural size of 0. */
  private static void assertThumbnailsDecoded(int count) {
    @SuppressWarnings("unchecked")
    List<List<Long>> sizes = (List<List<Long>>) BROWSER.script("""
        return Array.from(document.querySelectorAll('.thumb img')).map(function (img) {
          return [img.complete ? 1 : 0, img.naturalWidth, img.naturalHeight];
        });""");
    assertThat(sizes).hasSize(count).allSatisfy(s -> assertThat(s).containsExactly(1L, (long) SIDE, (long) SIDE));
  }

  private Path render(PruneScores scores, String metric, Map<String, double[]> byMetric,
      ExperimentResults experiment) throws Exception {
    PruneSettings settings = new PruneSettings(List.of(PruningMetric.of("pruning.metric", metric)), "pixels", 0,
        new PruneSettings.Probes(2, 3, 1), dir.toUri().toString(),
        PruningOptions.defaults().withFraction(0.4), 1, PER_ROW, "", 0);
    PruneOutcome outcome = new PruneOutcome("synthetic:n=" + N, settings, scores,
        Selector.select(scores.scores(), settings.selection(), 1));
    ExampleScores s = scores.scores();
    List<Thumbnails.ClassPicks> picks = Thumbnails.pick(s, scores.margins(), PER_ROW);
    Map<Long, float[]> pixels = new HashMap<>();
    for (int i = 0; i < s.size(); i++) { // a bright square whose size follows the id
      float[] image = new float[SIDE * SIDE];
      int edge = 4 + (int) (s.id(i) % 20);
      for (int y = 0; y < edge; y++) {
        for (int x = 0; x < edge; x++) {
          image[y * SIDE + x] = 255;
        }
      }
      pixels.put(s.id(i), image);
    }
    Thumbnails thumbnails = new Thumbnails(picks, scores.margins() != null, SIDE * SIDE, pixels);
    Path page = dir.resolve(metric + ".html");
    Files.writeString(page, PruneReportPage.render(outcome, new ReportInputs(byMetric, thumbnails, experiment)));
    return page;
  }
}
