package io.sparkzero.pruning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RankCorrelationTest {

  @Test
  void tiesShareTheMeanOfTheirRanks() {
    assertThat(RankCorrelation.ranks(new double[] {30, 10, 20, 20})).containsExactly(4, 1, 2.5, 2.5);
    assertThat(RankCorrelation.ranks(new double[] {5, 5, 5})).containsExactly(2, 2, 2);
    assertThat(RankCorrelation.ranks(new double[] {-0.0, 0.0, -1})).containsExactly(2.5, 2.5, 1);
  }

  @Test
  void theSameOrderIsOneAndTheReversedOrderMinusOneWhateverTheScale() {
    double[] a = {0.1, 0.5, 0.2, 0.9, 0.3};
    double[] cubes = {0.001, 0.125, 0.008, 0.729, 0.027};
    double[] negated = {-1, -5, -2, -9, -3};
    assertThat(RankCorrelation.spearman(a, cubes)).isEqualTo(1.0);
    assertThat(RankCorrelation.spearman(a, negated)).isEqualTo(-1.0);
  }

  @Test
  void aSmallCaseWithoutTiesMatchesTheTextbookFormula() {
    // Ranks a: 1 2 3 4 5, b: 2 1 4 3 5; Σd² = 4, rho = 1 − 6·4 / (5·24) = 0.8.
    double[] a = {1, 2, 3, 4, 5};
    double[] b = {20, 10, 40, 30, 50};
    assertThat(RankCorrelation.spearman(a, b)).isCloseTo(0.8, within(1e-12));
  }

  @Test
  void aSmallCaseWithTiesIsPearsonOfTheAverageRanks() {
    // Ranks a: 1 2 3 4, b: 1.5 1.5 3.5 3.5 (two pairs tied). Deviations: a −1.5 −0.5 0.5 1.5,
    // b −1 −1 1 1. Covariance sum 4, sums of squares 5 and 4: rho = 4 / √20 = 0.894427...
    double[] a = {1, 2, 3, 4};
    double[] b = {7, 7, 9, 9};
    assertThat(RankCorrelation.spearman(a, b)).isCloseTo(4 / Math.sqrt(20), within(1e-12));
    // The no-ties formula would say 1 − 6·1 / (4·15) = 0.9: ties make it wrong.
    assertThat(RankCorrelation.spearman(a, b)).isNotCloseTo(0.9, within(1e-3));
  }

  @Test
  void unrelatedOrdersGiveZero() {
    // Ranks b: 2 4 1 3 against 1 2 3 4: Σd² = 1 + 4 + 4 + 1 = 10, rho = 1 − 60 / 60 = 0.
    assertThat(RankCorrelation.spearman(new double[] {1, 2, 3, 4}, new double[] {2, 4, 1, 3}))
        .isCloseTo(0.0, within(1e-12));
  }

  @Test
  void aConstantInputHasNoCorrelation() {
    assertThat(RankCorrelation.spearman(new double[] {1, 2, 3}, new double[] {4, 4, 4})).isNaN();
    assertThat(RankCorrelation.spearman(new double[] {7}, new double[] {1})).isNaN();
    assertThat(RankCorrelation.spearman(new double[0], new double[0])).isNaN();
  }

  @Test
  void differentLengthsAndNaNAreRefused() {
    assertThatThrownBy(() -> RankCorrelation.spearman(new double[] {1, 2}, new double[] {1}))
        .hasMessageContaining("2 scores against 1");
    assertThatThrownBy(() -> RankCorrelation.spearman(new double[] {1, Double.NaN}, new double[] {1, 2}))
        .hasMessageContaining("score 1 is NaN");
  }
}
