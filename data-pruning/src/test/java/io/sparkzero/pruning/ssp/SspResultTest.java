package io.sparkzero.pruning.ssp;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkzero.pruning.ExampleScores;
import io.sparkzero.pruning.KeepPolicy;
import io.sparkzero.pruning.PruningOptions;
import io.sparkzero.pruning.Selector;
import org.junit.jupiter.api.Test;

/** SSP scores feed selection as the metric {@code ssp}, oriented high = hard like every metric. */
class SspResultTest {

  private static SspResult result(int[] labels) {
    return new SspResult(new long[] {10, 11, 12, 13}, labels, new int[] {0, 0, 1, 1},
        new double[] {0.01, 0.40, 0.02, 0.30}, new double[][] {{1, 0}, {0, 1}},
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
  void unlabelledExamplesGiveUnlabelledScores() {
    int u = SspExample.UNKNOWN_LABEL;
    assertThat(result(new int[] {u, u, u, u}).toExampleScores().labeled()).isFalse();
  }
}
