package io.sparkzero.pruning.supervised;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class El2nTest {

  @Test
  void isTheL2NormOfSoftmaxMinusOneHot() {
    // (0.7 - 1, 0.2, 0.1): 0.09 + 0.04 + 0.01 = 0.14
    assertThat(El2n.score(new float[] {0.7f, 0.2f, 0.1f}, 0)).isCloseTo(Math.sqrt(0.14), within(1e-6));
    // (0.7, 0.2 - 1, 0.1): 0.49 + 0.64 + 0.01 = 1.14
    assertThat(El2n.score(new float[] {0.7f, 0.2f, 0.1f}, 1)).isCloseTo(Math.sqrt(1.14), within(1e-6));
  }

  @Test
  void isZeroForAConfidentRightAnswerAndRootTwoForAConfidentWrongOne() {
    assertThat(El2n.score(new float[] {0, 1, 0}, 1)).isZero();
    assertThat(El2n.score(new float[] {1, 0, 0}, 2)).isCloseTo(Math.sqrt(2), within(1e-12));
  }

  @Test
  void correctIsTheLargestOutputWithTiesToTheLowestClass() {
    assertThat(El2n.correct(new float[] {0.2f, 0.5f, 0.3f}, 1)).isTrue();
    assertThat(El2n.correct(new float[] {0.2f, 0.5f, 0.3f}, 2)).isFalse();
    assertThat(El2n.correct(new float[] {0.4f, 0.4f, 0.2f}, 0)).isTrue();
    assertThat(El2n.correct(new float[] {0.4f, 0.4f, 0.2f}, 1)).isFalse();
  }

  @Test
  void aLabelOutsideTheOutputsIsRefused() {
    assertThatThrownBy(() -> El2n.score(new float[] {0.5f, 0.5f}, 2))
        .hasMessageContaining("label 2 is outside the network's 2 outputs");
  }
}
