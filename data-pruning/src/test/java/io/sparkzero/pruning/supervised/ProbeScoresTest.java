package io.sparkzero.pruning.supervised;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.sparkzero.pruning.ExampleScores;
import org.junit.jupiter.api.Test;

class ProbeScoresTest {
  private static final long[] IDS = {10, 11, 12};
  private static final int[] LABELS = {0, 1, 1};

  @Test
  void meanOverSeedsIsPerExample() {
    assertThat(ProbeScores.meanOverSeeds(new double[][] {{1, 0, 4}, {3, 1, 0}}))
        .containsExactly(2, 0.5, 2);
  }

  @Test
  void el2nIsTheLastEpochsScoreAveragedOverSeeds() {
    ProbeScores probes = new ProbeScores(IDS, LABELS, 2, 2);
    probes.record(0, 0, new boolean[] {true, true, true}, new double[] {9, 9, 9}); // not the last epoch
    probes.record(0, 1, new boolean[] {true, true, true}, new double[] {0.2, 0.4, 1.2});
    probes.record(1, 0, new boolean[] {true, true, true}, new double[] {9, 9, 9});
    probes.record(1, 1, new boolean[] {true, true, true}, new double[] {0.4, 0.0, 1.0});
    ExampleScores el2n = probes.el2n();
    assertThat(el2n.metric()).isEqualTo("el2n");
    assertThat(el2n.id(2)).isEqualTo(12);
    assertThat(el2n.label(1)).isEqualTo(1);
    assertThat(el2n.score(0)).isCloseTo(0.3, within(1e-12));
    assertThat(el2n.score(1)).isCloseTo(0.2, within(1e-12));
    assertThat(el2n.score(2)).isCloseTo(1.1, within(1e-12));
  }

  @Test
  void forgettingIsEachRunsCountAveragedOverSeeds() {
    ProbeScores probes = new ProbeScores(IDS, LABELS, 2, 3);
    // example 10: T F T in run 0 (1 event), T T T in run 1 (0): mean 0.5
    // example 11: F F F in run 0 (never learned: 3 + 1 = 4), F T F in run 1 (1): mean 2.5
    // example 12: never learned in either run: 4
    probes.record(0, 0, new boolean[] {true, false, false}, new double[3]);
    probes.record(0, 1, new boolean[] {false, false, false}, new double[3]);
    probes.record(0, 2, new boolean[] {true, false, false}, new double[3]);
    probes.record(1, 0, new boolean[] {true, false, false}, new double[3]);
    probes.record(1, 1, new boolean[] {true, true, false}, new double[3]);
    probes.record(1, 2, new boolean[] {true, false, false}, new double[3]);
    ExampleScores forgetting = probes.forgetting();
    assertThat(forgetting.metric()).isEqualTo("forgetting");
    assertThat(new double[] {forgetting.score(0), forgetting.score(1), forgetting.score(2)})
        .containsExactly(0.5, 2.5, 4.0);
  }

  @Test
  void aMissingEpochOrAShortRecordIsRefused() {
    ProbeScores probes = new ProbeScores(IDS, LABELS, 1, 2);
    probes.record(0, 1, new boolean[3], new double[3]);
    assertThatThrownBy(probes::el2n).hasMessage("probe run 0 has no record of epoch 0");
    assertThatThrownBy(() -> probes.record(0, 0, new boolean[2], new double[3]))
        .hasMessageContaining("reported 2 answers and 3 EL2N scores for 3 examples");
  }
}
