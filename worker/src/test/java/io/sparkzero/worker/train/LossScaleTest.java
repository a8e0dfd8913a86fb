package io.sparkzero.worker.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LossScaleTest {

  @Test
  void fullPrecisionKeepsScaleOneAndCountsSkips() {
    LossScale s = new LossScale(LossScale.Options.fullPrecision(3));
    s.record(false, 0, 0);
    s.record(true, 1, 0);
    assertThat(s.scale()).isEqualTo(1f);
    assertThat(s.skippedTotal()).isEqualTo(1);
    assertThat(s.skippedInRow()).isZero();
  }

  @Test
  void dynamicScaleHalvesOnSkipAndDoublesAfterACleanWindow() {
    LossScale s = new LossScale(new LossScale.Options(true, 1024f, 3, 10));
    s.record(false, 0, 0);
    assertThat(s.scale()).isEqualTo(512f);
    s.record(true, 1, 0);
    s.record(true, 2, 0);
    assertThat(s.scale()).isEqualTo(512f);
    s.record(true, 3, 0);
    assertThat(s.scale()).isEqualTo(1024f);
    for (int i = 0; i < 10; i++) {
      s.record(false, 4 + i, 0);
    }
    assertThat(s.scale()).as("never below 1").isEqualTo(1f);
  }

  @Test
  void tooManySkipsInARowStopWithTheStepRankAndLimit() {
    LossScale s = new LossScale(LossScale.Options.fullPrecision(2));
    s.record(false, 7, 1);
    s.record(false, 8, 1);
    assertThatThrownBy(() -> s.record(false, 9, 1))
        .isInstanceOf(LossScale.NonFiniteGradientException.class)
        .hasMessageContaining("global step 9").hasMessageContaining("rank 1")
        .hasMessageContaining("3 steps in a row").hasMessageContaining("allowed: 2")
        .hasMessageContaining("train.max-skipped-steps");
  }
}
