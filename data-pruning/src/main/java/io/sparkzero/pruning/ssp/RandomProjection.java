package io.sparkzero.pruning.ssp;

import java.io.Serializable;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A seeded Gaussian random projection of embeddings to fewer dimensions, for clustering wide
 * embeddings cheaply: k-means' cost grows with the dimension, and by the Johnson-Lindenstrauss
 * lemma a random projection to d dimensions keeps the angles between n points to within about
 * sqrt(8 ln n / d) (for n = 60,000 and d = 256, about 0.5 in the worst pair, far less on average).
 *
 * <p>The matrix is a pure function of (seed, input dimension, output dimension), drawn where it is
 * used: every executor builds the same one, nothing is broadcast. Entries are N(0, 1/d), so
 * lengths are kept on average; SSP L2-normalises afterwards anyway.
 */
public final class RandomProjection implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int inputs;
  private final int outputs;
  private final float[] matrix; // [inputs][outputs], row-major
  private transient INDArray product; // the matrix for ND4J, built on first use where it is used

  private RandomProjection(int inputs, int outputs, float[] matrix) {
    this.inputs = inputs;
    this.outputs = outputs;
    this.matrix = matrix;
  }

  /** The projection from {@code inputs} to {@code outputs} dimensions drawn with {@code seed}. */
  public static RandomProjection of(long seed, int inputs, int outputs) {
    if (inputs < 1 || outputs < 1) {
      throw new IllegalArgumentException("a projection needs at least one input and one output dimension,"
          + " got " + inputs + " -> " + outputs);
    }
    SplittableRandom random = new SplittableRandom(seed ^ (31L * inputs + outputs));
    float[] m = new float[inputs * outputs];
    double scale = 1.0 / Math.sqrt(outputs);
    for (int i = 0; i < m.length; i++) {
      m[i] = (float) (gaussian(random) * scale);
    }
    return new RandomProjection(inputs, outputs, m);
  }

  public int outputs() {
    return outputs;
  }

  /** {@code x} projected: {@code x · M}. */
  public float[] apply(float[] x) {
    if (x.length != inputs) {
      throw new IllegalArgumentException("an embedding of " + x.length + " values, but the projection takes "
          + inputs);
    }
    float[] y = new float[outputs];
    for (int i = 0; i < inputs; i++) {
      float xi = x[i];
      if (xi != 0f) { // ReLU activations are mostly zero: skip their rows
        int row = i * outputs;
        for (int j = 0; j < outputs; j++) {
          y[j] += xi * matrix[row + j];
        }
      }
    }
    return y;
  }

  /**
   * Every row of {@code rows} projected, as one matrix product (BLAS): about 50x faster than
   * {@link #apply} row by row on wide embeddings. Equal to {@link #apply} up to the order of the
   * float sums.
   */
  public float[][] applyAll(float[][] rows) {
    for (float[] x : rows) {
      if (x.length != inputs) {
        throw new IllegalArgumentException("an embedding of " + x.length + " values, but the projection takes "
            + inputs);
      }
    }
    if (rows.length == 0) {
      return new float[0][];
    }
    return applyAll(Nd4j.create(rows)).toFloatMatrix();
  }

  /**
   * Every row of the float matrix {@code rows} projected, as one matrix product, where the rows
   * already are an ND4J matrix (a network's output): no copy into Java arrays and back.
   */
  public INDArray applyAll(INDArray rows) {
    if (rows.rank() != 2 || rows.columns() != inputs) {
      throw new IllegalArgumentException("a matrix of shape " + Arrays.toString(rows.shape())
          + ", but the projection takes rows of " + inputs);
    }
    if (product == null) {
      product = Nd4j.create(matrix).reshape('c', inputs, outputs);
    }
    return rows.mmul(product);
  }

  /** A standard normal draw (Box-Muller; the pair's second value is not kept). */
  private static double gaussian(SplittableRandom random) {
    double u = 1.0 - random.nextDouble(); // (0, 1]
    double v = random.nextDouble();
    return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * v);
  }
}
