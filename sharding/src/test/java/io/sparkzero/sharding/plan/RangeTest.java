package io.sparkzero.sharding.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RangeTest {

  @Test
  void lengthEmptinessAndMembershipFollowTheHalfOpenInterval() {
    Range r = new Range(3, 7);
    assertThat(r.length()).isEqualTo(4);
    assertThat(r.isEmpty()).isFalse();
    assertThat(r.contains(3)).isTrue();
    assertThat(r.contains(6)).isTrue();
    assertThat(r.contains(7)).isFalse();
    assertThat(r.contains(2)).isFalse();
    assertThat(new Range(5, 5).isEmpty()).isTrue();
    assertThat(new Range(5, 5).contains(5)).isFalse();
    assertThat(r).hasToString("[3, 7)");
  }

  @Test
  void intersectionOfOverlappingNestedAndDisjointRanges() {
    assertThat(new Range(0, 10).intersect(new Range(5, 20))).isEqualTo(new Range(5, 10));
    assertThat(new Range(5, 20).intersect(new Range(0, 10))).isEqualTo(new Range(5, 10));
    assertThat(new Range(0, 10).intersect(new Range(2, 4))).isEqualTo(new Range(2, 4));
    assertThat(new Range(0, 10).intersect(new Range(10, 12))).isEqualTo(new Range(10, 10));
    assertThat(new Range(20, 30).intersect(new Range(0, 10))).isEqualTo(new Range(20, 20));
    assertThat(new Range(0, 10).intersect(new Range(20, 30)).isEmpty()).isTrue();
  }

  @Test
  void reversedOrNegativeRangesAreRefused() {
    assertThatThrownBy(() -> new Range(5, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[5, 4)");
    assertThatThrownBy(() -> new Range(-1, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0 <= from <= to");
  }
}
