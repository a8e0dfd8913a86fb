package io.sparkzero.driver.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sparkzero.driver.prune.ExperimentResults.Run;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccuracyPointsTest {

  private static Run run(String metric, String keep, double fraction, long seed, double accuracy) {
    return new Run(metric, keep, fraction, seed, accuracy, Math.round(fraction * 1000), 10 * seed);
  }

  @Test
  void seedsOfOnePointGiveTheMeanAndTheSampleStandardDeviation() {
    List<AccuracyPoints.Point> points = AccuracyPoints.of(List.of(run("ssp", "hard", 0.5, 1, 0.80),
        run("ssp", "hard", 0.5, 2, 0.84), run("ssp", "hard", 0.5, 3, 0.82)));
    assertThat(points).hasSize(1);
    AccuracyPoints.Point p = points.get(0);
    assertThat(p.meanAccuracy()).isCloseTo(0.82, within(1e-12));
    // Deviations −0.02, 0.02, 0: squares sum to 0.0008, over n − 1 = 2: sd = √0.0004 = 0.02.
    assertThat(p.sdAccuracy()).isCloseTo(0.02, within(1e-12));
    assertThat(p.seeds()).isEqualTo(3);
    assertThat(p.meanKeptExamples()).isEqualTo(500);
    assertThat(p.meanTrainSeconds()).isEqualTo(20);
  }

  @Test
  void pointsAreOnePerMetricKeepAndFractionSortedAndOneSeedHasNoSpread() {
    List<AccuracyPoints.Point> points = AccuracyPoints.of(List.of(run("ssp", "hard", 0.7, 1, 0.9),
        run("random", "hard", 0.5, 1, 0.7), run("ssp", "hard", 0.5, 1, 0.8), run("ssp", "easy", 0.5, 1, 0.6),
        run("ssp", "hard", 0.5, 2, 0.82)));
    assertThat(points).extracting(p -> p.series() + "@" + p.fraction())
        .containsExactly("random/hard@0.5", "ssp/easy@0.5", "ssp/hard@0.5", "ssp/hard@0.7");
    assertThat(points.get(0).sdAccuracy()).isNaN();
    assertThat(points.get(2).seeds()).isEqualTo(2);
  }

  @Test
  void theChartHasOneLinePerMetricAndKeepAndTheFullDataReference() {
    List<AccuracyPoints.Point> points = AccuracyPoints.of(List.of(run("ssp", "hard", 0.5, 1, 0.8),
        run("ssp", "hard", 0.7, 1, 0.85), run("random", "hard", 0.5, 1, 0.7),
        run("none", "all", 1.0, 1, 0.90), run("none", "all", 1.0, 2, 0.92)));
    var option = AccuracySection.chart(points).option();
    assertThat(option.get("series")).extracting(s -> s.get("name").asText())
        .containsExactly("random/hard", "ssp/hard", "full data (reference)");
    // x = 0.5, 0.7, 1.0; random ran at 0.5 only, the reference is the mean of both full runs.
    assertThat(option.get("series").get(0).get("data").toString()).isEqualTo("[[0.5,0.7],[0.7,null],[1.0,null]]");
    assertThat(option.get("series").get(2).get("data").get(1).get(1).asDouble()).isCloseTo(0.91, within(1e-12));
  }
}
