package io.sparkzero.pruning.ssp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class RandomProjectionTest {

  @Test
  void theSameSeedAndShapeGiveTheSameProjectionAnotherSeedAnother() {
    float[] x = vector(new Random(1), 300);
    assertThat(RandomProjection.of(7, 300, 64).apply(x)).containsExactly(RandomProjection.of(7, 300, 64).apply(x));
    assertThat(RandomProjection.of(8, 300, 64).apply(x)).isNotEqualTo(RandomProjection.of(7, 300, 64).apply(x));
  }

  /**
   * Cosine similarities survive the projection: over 200 random pairs in 3,136 dimensions (the
   * encoder's pool2 width) projected to 256, the mean absolute change is below 0.05 (the
   * Johnson-Lindenstrauss scale for one pair is about 1/sqrt(256) = 0.06).
   */
  @Test
  void anglesAreKeptOnAverage() {
    Random random = new Random(3);
    RandomProjection p = RandomProjection.of(11, 3136, 256);
    double error = 0;
    for (int i = 0; i < 200; i++) {
      float[] a = vector(random, 3136);
      float[] b = mix(a, vector(random, 3136), random.nextDouble());
      error += Math.abs(cosine(a, b) - cosine(p.apply(a), p.apply(b)));
    }
    assertThat(error / 200).isLessThan(0.05);
  }

  /**
   * The batched projection (one BLAS product) is the row-by-row one up to the order of float sums:
   * over 784 inputs of size ~1 each, the difference stays below 1e-4 (float epsilon 1.2e-7 times
   * the ~800 terms summed, with room).
   */
  @Test
  void theBatchedProjectionIsTheRowByRowOne() {
    Random random = new Random(5);
    RandomProjection p = RandomProjection.of(13, 784, 64);
    float[][] rows = new float[37][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = vector(random, 784);
    }
    float[][] batched = p.applyAll(rows);
    assertThat(batched).hasNumberOfRows(37);
    for (int i = 0; i < rows.length; i++) {
      float[] one = p.apply(rows[i]);
      assertThat(batched[i]).hasSize(64);
      for (int j = 0; j < one.length; j++) {
        assertThat(batched[i][j]).as("row %d, column %d", i, j).isCloseTo(one[j], within(1e-4f));
      }
    }
    assertThat(p.applyAll(new float[0][])).isEmpty();
  }

  @Test
  void theMatrixProjectionIsTheArrayOne() {
    Random random = new Random(9);
    RandomProjection p = RandomProjection.of(13, 300, 32);
    float[][] rows = new float[11][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = vector(random, 300);
    }
    float[][] fromMatrix = p.applyAll(Nd4j.create(rows)).toFloatMatrix();
    assertThat(fromMatrix).isDeepEqualTo(p.applyAll(rows));
    assertThatThrownBy(() -> p.applyAll(Nd4j.create(new float[2][299])))
        .hasMessageContaining("[2, 299]").hasMessageContaining("rows of 300");
  }

  @Test
  void aWrongWidthIsRefused() {
    assertThatThrownBy(() -> RandomProjection.of(1, 10, 4).apply(new float[9]))
        .hasMessageContaining("9 values").hasMessageContaining("takes 10");
    assertThatThrownBy(() -> RandomProjection.of(1, 10, 4).applyAll(new float[][] {new float[10], new float[9]}))
        .hasMessageContaining("9 values").hasMessageContaining("takes 10");
  }

  private static float[] vector(Random random, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = random.nextFloat() < 0.5 ? 0f : (float) random.nextGaussian(); // sparse, like ReLU maps
    }
    return v;
  }

  private static float[] mix(float[] a, float[] b, double t) {
    float[] m = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      m[i] = (float) (t * a[i] + (1 - t) * b[i]);
    }
    return m;
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }
}
