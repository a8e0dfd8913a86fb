package io.sparkzero.worker.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SquareSumsTest {

  private static float[] values(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(-4, 4)));
    }
    return v;
  }

  /** The total of elements {@code first..first+v.length} added in chunks of {@code chunk}. */
  private static double chunked(float[] v, long first, int chunk) {
    SquareSums sums = new SquareSums(2);
    float[] buffer = new float[chunk];
    for (int from = 0; from < v.length; from += chunk) {
      int count = Math.min(chunk, v.length - from);
      System.arraycopy(v, from, buffer, 0, count);
      sums.add(1, buffer, count, first + from);
    }
    return sums.total(1);
  }

  @Test
  void theTotalIsTheSameBitsHoweverTheElementsAreChunked() {
    float[] v = values(10_007, 3);
    for (long first : new long[] {0, 3, 8, 1_000_005}) {
      double whole = chunked(v, first, v.length);
      for (int chunk : new int[] {1, 5, 8, 13, 4096}) {
        assertThat(chunked(v, first, chunk)).as("first %d, chunk %d", first, chunk)
            .isEqualTo(whole);
      }
    }
  }

  @Test
  void theTotalIsTheSumOfSquaresToDoubleRounding() {
    float[] v = values(100_003, 5);
    double exact = 0; // compensated (Kahan) sum of the same float squares
    double carry = 0;
    for (float x : v) {
      double term = x * x - carry;
      double next = exact + term;
      carry = (next - exact) - term;
      exact = next;
    }
    assertThat(chunked(v, 17, 4096)).isCloseTo(exact, within(exact * 1e-12));
  }

  @Test
  void slotsAreSeparateAndClearEmptiesThem() {
    SquareSums sums = new SquareSums(3);
    sums.add(0, new float[] {3f}, 1, 5);
    sums.add(2, new float[] {1f, 2f}, 2, 7);
    assertThat(sums.total(0)).isEqualTo(9.0);
    assertThat(sums.total(1)).isEqualTo(0.0);
    assertThat(sums.total(2)).isEqualTo(5.0);
    sums.add(0, new float[] {Float.NaN}, 1, 0);
    assertThat(sums.total(0)).isNaN();
    sums.clear();
    assertThat(sums.total(0)).isEqualTo(0.0);
  }
}
