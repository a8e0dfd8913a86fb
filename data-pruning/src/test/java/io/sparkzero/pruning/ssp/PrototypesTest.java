package io.sparkzero.pruning.ssp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PrototypesTest {

  private final Prototypes prototypes = new Prototypes(new double[][] {{2, 0}, {0, 0.5}});

  @Test
  void centroidsAreNormalised() {
    assertThat(prototypes.unitCentroids()).isDeepEqualTo(new double[][] {{1, 0}, {0, 1}});
  }

  @Test
  void nearestIsLargestCosineAndScoreIsOneMinusIt() {
    double[] e = Prototypes.unit(new double[] {3, 1}, "e");
    assertThat(prototypes.nearest(e)).isZero();
    // Exact up to double rounding of 3 / sqrt(10).
    assertThat(prototypes.score(e, 0)).isCloseTo(1 - 3 / Math.sqrt(10), within(1e-15));
    assertThat(prototypes.score(new double[] {-1, 0}, 0)).isEqualTo(2.0);
  }

  @Test
  void secondScoreIsTheDistanceToTheNearestOtherCentroid() {
    Prototypes three = new Prototypes(new double[][] {{1, 0}, {0, 1}, {-1, 0}});
    double[] e = Prototypes.unit(new double[] {3, 1}, "e");
    // Own centroid (1, 0): 1 − 3/√10; the runner-up is (0, 1) at 1 − 1/√10, not (−1, 0) at 1 + 3/√10.
    assertThat(three.secondScore(e, 0)).isCloseTo(1 - 1 / Math.sqrt(10), within(1e-15));
    assertThat(three.secondScore(e, 0)).isGreaterThanOrEqualTo(three.score(e, 0));
    // Halfway between two centroids, the example is as far from its second as from its own.
    double[] boundary = Prototypes.unit(new double[] {1, 1}, "e");
    assertThat(three.secondScore(boundary, 0)).isCloseTo(three.score(boundary, 0), within(1e-15));
  }

  @Test
  void oneCentroidHasNoSecond() {
    assertThat(new Prototypes(new double[][] {{1, 0}}).secondScore(new double[] {1, 0}, 0)).isNaN();
  }

  @Test
  void tieGoesToLowestCluster() {
    assertThat(prototypes.nearest(Prototypes.unit(new double[] {1, 1}, "e"))).isZero();
  }

  @Test
  void zeroVectorIsNamed() {
    assertThatThrownBy(() -> Prototypes.unit(new double[] {0, 0}, "embedding of example id 4"))
        .hasMessage("embedding of example id 4 has length 0.0 and cannot be normalised");
  }
}
