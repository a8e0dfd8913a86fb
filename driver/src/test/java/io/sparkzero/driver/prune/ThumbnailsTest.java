package io.sparkzero.driver.prune;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkzero.pruning.ExampleScores;
import io.sparkzero.pruning.PruningOptions;
import io.sparkzero.pruning.Selector;
import io.sparkzero.report.HtmlReport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThumbnailsTest {

  // Rows 0..7: class 0 on even rows, class 1 on odd rows.
  private static final ExampleScores SCORES = ExampleScores.of("ssp", new long[] {10, 11, 12, 13, 14, 15, 16, 17},
      new int[] {0, 1, 0, 1, 0, 1, 0, 1}, new double[] {0.5, 0.1, 0.2, 0.9, 0.8, 0.4, 0.2, 0.3});

  @Test
  void eachClassGetsItsLowestHighestAndSmallestMarginRows() {
    double[] margins = {0.3, 0.01, 0.02, 0.5, 0.9, 0.2, 0.1, 0.4};
    List<Thumbnails.ClassPicks> picks = Thumbnails.pick(SCORES, margins, 2);
    assertThat(picks).extracting(Thumbnails.ClassPicks::label).containsExactly(0, 1);
    // Class 0 scores by row: 0 → 0.5, 2 → 0.2, 4 → 0.8, 6 → 0.2 (a tie: the lower row first).
    assertThat(picks.get(0).easiest()).containsExactly(2, 6);
    assertThat(picks.get(0).hardest()).containsExactly(4, 0);
    assertThat(picks.get(0).ambiguous()).containsExactly(2, 6);
    assertThat(picks.get(1).easiest()).containsExactly(1, 7);
    assertThat(picks.get(1).hardest()).containsExactly(3, 5);
    assertThat(picks.get(1).ambiguous()).containsExactly(1, 5);
  }

  @Test
  void withoutMarginsThereIsNoAmbiguousRowAndASmallClassGivesWhatItHas() {
    List<Thumbnails.ClassPicks> picks = Thumbnails.pick(SCORES, null, 8);
    assertThat(picks.get(0).ambiguous()).isEmpty();
    assertThat(picks.get(0).easiest()).containsExactly(2, 6, 0, 4);
    assertThat(picks.get(0).hardest()).containsExactly(4, 0, 2, 6);
  }

  @Test
  void featuresThatAreNotASquareImageAreSaidInOneSentenceInsteadOfDrawn() {
    HtmlReport page = new HtmlReport("t");
    Thumbnails thumbnails = new Thumbnails(Thumbnails.pick(SCORES, null, 2), false, 50, Map.of());
    ThumbnailSection.add(page, SCORES, null, Selector.select(SCORES, PruningOptions.defaults()), thumbnails);
    assertThat(page.render()).contains("The examples have 50 features, not a square grey image")
        .doesNotContain("<figure class=\"thumb");
  }
}
