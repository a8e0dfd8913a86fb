package io.sparkzero.pruning.ssp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.sparkzero.pruning.ExampleScores;
import io.sparkzero.pruning.KeepPolicy;
import io.sparkzero.pruning.PruningOptions;
import io.sparkzero.pruning.Selector;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SSP scores feed selection as the metric {@code ssp}, oriented high = hard like every metric. */
class SspResultTest {

  private static SspResult result(int[] labels) {
    return new SspResult(new long[] {10, 11, 12, 13}, labels, new int[] {0, 0, 1, 1},
        new double[] {0.01, 0.40, 0.02, 0.30}, new double[] {0.90, 0.45, 0.50, 0.30},
        new double[][] {{1, 0}, {0, 1}},
        new long[] {2, 2}, new long[][] {{2, 0}, {0, 2}});
  }

  @Test
  void keepingTheHardHalfKeepsTheExamplesFarthestFromTheirPrototypes() {
    ExampleScores scores = result(new int[] {0, 0, 1, 1}).toExampleScores();
    assertThat(scores.metric()).isEqualTo("ssp");
    PruningOptions hardHalf = PruningOptions.defaults().withFraction(0.5).withKeep(KeepPolicy.HARD);
    assertThat(Selector.select(scores, hardHalf).keptIds()).containsExactly(11, 13);
    PruningOptions easyHalf = hardHalf.withKeep(KeepPolicy.EASY);
    assertThat(Selector.select(scores, easyHalf).keptIds()).containsExactly(10, 12);
  }

  @Test
  void marginsAreTheSecondDistanceMinusTheOwn() {
    assertThat(result(new int[] {0, 0, 1, 1}).margins())
        .containsExactly(new double[] {0.89, 0.05, 0.48, 0.0}, within(1e-12));
  }

  @Test
  void tallyKeepsEachExamplesSecondScoreInIdOrder() {
    SspResult tallied = SspResult.tally(List.of(new ScoredExample(5, 0, 1, 0.2, 0.3),
        new ScoredExample(2, 1, 0, 0.1, 0.6)), new double[][] {{1, 0}, {0, 1}}, 2);
    assertThat(tallied.ids()).containsExactly(2, 5);
    assertThat(tallied.secondScores()).containsExactly(0.6, 0.3);
  }

  @Test
  void aSecondScoreArrayOfAnotherLengthIsRefused() {
    assertThatThrownBy(() -> new SspResult(new long[] {1, 2}, new int[] {0, 0}, new int[] {0, 0},
        new double[] {0.1, 0.2}, new double[] {0.3}, new double[][] {{1}}, new long[] {2}, new long[][] {{2}}))
        .hasMessageContaining("second scores 1");
  }

  @Test
  void unlabelledExamplesGiveUnlabelledScores() {
    int u = SspExample.UNKNOWN_LABEL;
    assertThat(result(new int[] {u, u, u, u}).toExampleScores().labeled()).isFalse();
  }
}
