package io.sparkzero.worker.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

  @Test
  void batchSizeScalingIsLinearOrSquareRoot() {
    // Base 0.1 at batch 256, global batch 8192 = 32 x 256.
    assertThat(schedule("linear", 0, "none").peak()).isCloseTo(3.2, within(1e-12));
    assertThat(schedule("sqrt", 0, "none").peak()).isCloseTo(0.1 * Math.sqrt(32), within(1e-12));
    assertThat(schedule("none", 0, "none").peak()).isEqualTo(0.1);
  }

  @Test
  void warmUpRisesLinearlyToThePeakThenPolynomialDecayReachesZeroAtTheEnd() {
    LearningRateSchedule s = new LearningRateSchedule(0.1, "linear", 256, 1024, 4, "poly", 2, 14);
    // peak 0.4; warm-up steps 0..3 get 0.1, 0.2, 0.3, 0.4
    assertThat(s.rate(0)).isCloseTo(0.1, within(1e-12));
    assertThat(s.rate(3)).isCloseTo(0.4, within(1e-12));
    // step 4 starts the decay at the peak; step 9 is half way: 0.4 * 0.5^2
    assertThat(s.rate(4)).isCloseTo(0.4, within(1e-12));
    assertThat(s.rate(9)).isCloseTo(0.1, within(1e-12));
    assertThat(s.rate(13)).isCloseTo(0.4 * Math.pow(0.1, 2), within(1e-12));
    assertThat(s.rate(14)).isZero();
  }

  @Test
  void cosineDecayIsHalfThePeakHalfWay() {
    LearningRateSchedule s = new LearningRateSchedule(1, "none", 1, 1, 0, "cosine", 2, 10);
    assertThat(s.rate(0)).isCloseTo(1, within(1e-12));
    assertThat(s.rate(5)).isCloseTo(0.5, within(1e-12));
    assertThat(s.rate(10)).isCloseTo(0, within(1e-12));
  }

  @Test
  void constantScheduleNeverMoves() {
    LearningRateSchedule s = LearningRateSchedule.constant(0.003);
    assertThat(s.rate(0)).isEqualTo(0.003);
    assertThat(s.rate(1_000_000)).isEqualTo(0.003);
  }

  @Test
  void unknownRulesAreRefusedNamingWhatIsAllowed() {
    assertThatThrownBy(() -> schedule("square", 0, "none"))
        .hasMessageContaining("lr.scale: 'square'").hasMessageContaining("linear, sqrt, none");
    assertThatThrownBy(() -> schedule("linear", 0, "step"))
        .hasMessageContaining("lr.decay: 'step'");
  }

  private static LearningRateSchedule schedule(String scale, long warmup, String decay) {
    return new LearningRateSchedule(0.1, scale, 256, 8192, warmup, decay, 2, 100);
  }
}
