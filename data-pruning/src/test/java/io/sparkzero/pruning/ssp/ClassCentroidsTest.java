package io.sparkzero.pruning.ssp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ClassCentroidsTest {

  private static SspExample example(long id, int label, float... embedding) {
    return new SspExample(id, label, embedding);
  }

  @Test
  void eachExampleIsScoredAgainstItsOwnClassesCentroidOfUnitVectors() {
    // Class 0: (2, 0) and (0, 5) normalise to (1, 0) and (0, 1); centroid direction (1, 1)/√2.
    // Class 7: (0, -3) alone; centroid (0, -1).
    ClassCentroids sums = new ClassCentroids().add(example(1, 0, 2, 0)).add(example(2, 0, 0, 5))
        .merge(new ClassCentroids().add(example(3, 7, 0, -3)));
    ClassCentroids.Scoring scoring = sums.prototypes();
    assertThat(scoring.labels()).containsExactly(0, 7);
    assertThat(scoring.score(example(1, 0, 2, 0))).isCloseTo(1 - 1 / Math.sqrt(2), within(1e-12));
    assertThat(scoring.score(example(3, 7, 0, -3))).isCloseTo(0, within(1e-12));
    // The same vector scored as class 7 instead: cos((1, 0), (0, -1)) = 0.
    assertThat(scoring.score(example(9, 7, 2, 0))).isCloseTo(1, within(1e-12));
  }

  @Test
  void mergeOrderDoesNotChangeTheCentroids() {
    ClassCentroids a = new ClassCentroids().add(example(1, 0, 1, 0)).merge(new ClassCentroids().add(example(2, 0, 1, 1)));
    ClassCentroids b = new ClassCentroids().add(example(2, 0, 1, 1)).merge(new ClassCentroids().add(example(1, 0, 1, 0)));
    SspExample probe = example(5, 0, 0, 1);
    assertThat(a.prototypes().score(probe)).isCloseTo(b.prototypes().score(probe), within(1e-15));
  }

  @Test
  void anUnlabelledExampleIsRefused() {
    assertThatThrownBy(() -> new ClassCentroids().add(example(4, SspExample.UNKNOWN_LABEL, 1, 0)))
        .hasMessageContaining("example id 4 has no label");
  }
}
