package io.sparkzero.pruning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ExampleScoresTest {

  @Test
  void holdsOneScorePerExampleWithItsClasses() {
    ExampleScores s = ExampleScores.of("el2n", new long[] {5, 9, 2}, new int[] {7, 3, 7}, new double[] {0.1, -0.0, 2});
    assertThat(s.size()).isEqualTo(3);
    assertThat(s.labeled()).isTrue();
    assertThat(s.classes()).isEqualTo(2);
    assertThat(s.classLabels()).containsExactly(3, 7);
    assertThat(s.classIndex(0)).isEqualTo(1);
    assertThat(Double.compare(s.score(1), 0.0)).isZero(); // -0.0 ties with 0.0
  }

  @Test
  void unlabelledScoresHaveNoClasses() {
    ExampleScores s = ExampleScores.unlabeled("ssp", new long[] {1, 2}, new double[] {0.5, 0.25});
    assertThat(s.labeled()).isFalse();
    assertThat(s.classes()).isZero();
    assertThat(s.label(0)).isEqualTo(ExampleScores.UNLABELED);
    assertThat(s.classIndex(0)).isEqualTo(-1);
  }

  @Test
  void aNanScoreNamesTheExampleAndTheMetric() {
    assertThatThrownBy(() -> ExampleScores.unlabeled("el2n", new long[] {41, 42}, new double[] {1, Double.NaN}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("metric 'el2n': example id 42 has score NaN; every example needs a number (high = hard)");
  }

  @Test
  void refusesMismatchedLengthsDuplicateIdsAndHalfLabelledData() {
    assertThatThrownBy(() -> ExampleScores.of("m", new long[] {1, 2}, new int[] {0}, new double[] {1, 2}))
        .hasMessage("metric 'm': 2 ids, 1 labels and 2 scores; each example needs one of each");
    assertThatThrownBy(() -> ExampleScores.unlabeled("m", new long[] {3, 3}, new double[] {1, 2}))
        .hasMessage("metric 'm': example id 3 is scored twice; each example needs exactly one score");
    assertThatThrownBy(() -> ExampleScores.of("m", new long[] {1, 2}, new int[] {0, -1}, new double[] {1, 2}))
        .hasMessage("metric 'm': 1 of 2 examples have no label; label every example or none");
  }

  @Test
  void copiesItsInput() {
    double[] scores = {1, 2};
    ExampleScores s = ExampleScores.unlabeled("m", new long[] {1, 2}, scores);
    scores[0] = Double.NaN;
    assertThat(s.score(0)).isEqualTo(1.0);
  }
}
