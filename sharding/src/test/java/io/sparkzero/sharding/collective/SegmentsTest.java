package io.sparkzero.sharding.collective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SegmentsTest {

  @Test
  void evenBoundsCoverTheRegionWithSizesDifferingByAtMostOne() {
    for (int parts = 1; parts <= 9; parts++) {
      for (int length : new int[] {0, 1, 3, 8, 1001, 100_003}) {
        int[] bounds = Collectives.evenBounds(5, length, parts);
        assertThat(bounds).hasSize(parts + 1);
        assertThat(bounds[0]).isEqualTo(5);
        assertThat(bounds[parts]).isEqualTo(5 + length);
        for (int i = 0; i < parts; i++) {
          int size = bounds[i + 1] - bounds[i];
          assertThat(size).isBetween(length / parts, length / parts + 1);
        }
      }
    }
  }

  @Test
  void evenBoundsDoNotOverflowOnLargeRegions() {
    int[] bounds = Collectives.evenBounds(0, Integer.MAX_VALUE - 8, 7);
    assertThat(bounds[7]).isEqualTo(Integer.MAX_VALUE - 8);
    assertThat(bounds).isSorted();
  }

  @Test
  void boundsOfTheWrongLengthAreRefusedWithTheExpectedCount() {
    assertThatThrownBy(() -> Segments.checkBounds(new float[10], new int[] {0, 5, 10}, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("3 entries").hasMessageContaining("needs 4");
  }

  @Test
  void decreasingBoundsAreRefusedNamingTheEntries() {
    assertThatThrownBy(() -> Segments.checkBounds(new float[10], new int[] {0, 6, 4, 10}, 3))
        .hasMessageContaining("bounds[1]=6 > bounds[2]=4");
  }

  @Test
  void boundsOutsideTheArrayAreRefused() {
    assertThatThrownBy(() -> Segments.checkBounds(new float[10], new int[] {0, 5, 11}, 2))
        .hasMessageContaining("do not fit an array of 10 floats");
    assertThatThrownBy(() -> Segments.checkRange(new float[10], 8, 3))
        .hasMessageContaining("[8, 11)");
  }
}
