package io.sparkzero.pruning.supervised;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ForgettingTest {

  @Test
  void countsCorrectThenWrongTransitionsOnly() {
    assertThat(Forgetting.score(new boolean[] {true, true, true})).isZero();
    assertThat(Forgetting.score(new boolean[] {false, true, true})).isZero(); // learned, never forgotten
    assertThat(Forgetting.score(new boolean[] {true, false, true})).isEqualTo(1);
    assertThat(Forgetting.score(new boolean[] {true, false, true, false})).isEqualTo(2);
    assertThat(Forgetting.score(new boolean[] {true, false, false, true, false})).isEqualTo(2);
  }

  @Test
  void neverLearnedScoresEpochsPlusOneAboveAnyCount() {
    assertThat(Forgetting.score(new boolean[] {false, false})).isEqualTo(3);
    assertThat(Forgetting.score(new boolean[] {false, false, false, false})).isEqualTo(5);
    // The most events four epochs allow is 2 (T F T F), below the never-learned 5.
    assertThat(Forgetting.score(new boolean[] {true, false, true, false}))
        .isLessThan(Forgetting.neverLearned(4));
  }

  @Test
  void oneEpochHasNoTransitions() {
    assertThat(Forgetting.score(new boolean[] {true})).isZero();
    assertThat(Forgetting.score(new boolean[] {false})).isEqualTo(2);
  }
}
