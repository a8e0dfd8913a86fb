package io.sparkzero.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DownsampledTest {

  @Test
  void shortSeriesIsKeptAsIs() {
    Downsampled d = Downsampled.of(new double[] {1, 2, 3}, new double[] {5, Double.NaN, 7}, 10);
    assertThat(d.merged()).isFalse();
    assertThat(d.x()).containsExactly(1, 2, 3);
    assertThat(d.mean()).containsExactly(5, Double.NaN, 7);
  }

  @Test
  void longSeriesBecomesMeanMinMaxBucketsAtTheBucketsLastX() {
    int n = 100_000;
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = i + 1;
      y[i] = i % 2 == 0 ? 1 : 3;
    }
    y[10] = Double.NaN;

    Downsampled d = Downsampled.of(x, y, 2000);

    assertThat(d.x()).hasSize(2000);
    assertThat(d.bucketSize()).isEqualTo(50);
    assertThat(d.x()[0]).isEqualTo(50);
    assertThat(d.x()[1999]).isEqualTo(n);
    assertThat(d.mean()[1]).isEqualTo(2.0);
    assertThat(d.min()[0]).isEqualTo(1);
    assertThat(d.max()[0]).isEqualTo(3);
  }

  @Test
  void bucketWithoutFiniteValuesIsAGap() {
    Downsampled d = Downsampled.of(new double[] {1, 2, 3, 4},
        new double[] {Double.NaN, Double.NaN, 1, 2}, 2);
    assertThat(d.mean()[0]).isNaN();
    assertThat(d.max()[0]).isNaN();
    assertThat(d.mean()[1]).isEqualTo(1.5);
  }
}
