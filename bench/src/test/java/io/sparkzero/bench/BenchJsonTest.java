package io.sparkzero.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BenchJsonTest {

  @Test
  void medianOfOddAndEvenCountsAndJsonPieces() {
    assertThat(BenchJson.median(new double[] {3, 1, 2})).isEqualTo(2);
    assertThat(BenchJson.median(new double[] {4, 1})).isEqualTo(2.5);
    assertThat(BenchJson.format(1.23456)).isEqualTo("1.235");
    assertThat(BenchJson.quote("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
  }
}
