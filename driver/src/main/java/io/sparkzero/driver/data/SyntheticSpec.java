package io.sparkzero.driver.data;

import java.io.Serializable;

/**
 * Seeded synthetic data: {@code count} examples drawn around one random prototype per class (see
 * {@link SyntheticExampleMaker}); the same spec always gives the same data. Serializable, as
 * the executors that generate the examples get a copy.
 *
 * @param count examples, ids {@code firstId .. firstId+count-1}
 * @param numFeatures features per example, each in {@code [0, 1]}
 * @param numClasses classes, drawn uniformly
 * @param seed selects the prototypes, labels and noise
 * @param noise standard deviation of the Gaussian noise added to the prototype (before clipping)
 * @param firstId id of the first example: a held-out set is the same seed with ids past the
 *     training set's (same prototypes, different examples)
 */
public record SyntheticSpec(
    long count, int numFeatures, int numClasses, long seed, double noise, long firstId)
    implements DataSpec, Serializable {

  /** Default features per example: a 28 x 28 image, as MNIST. */
  public static final int DEFAULT_NUM_FEATURES = 784;
  /** Default noise: classes stay easy to tell apart, examples of a class still differ. */
  public static final double DEFAULT_NOISE = 0.3;
  /** Most noise allowed; beyond it clipping turns every feature into 0 or 1. */
  public static final double MAX_NOISE = 10;

  /** A spec whose ids start at 0. */
  public SyntheticSpec(long count, int numFeatures, int numClasses, long seed, double noise) {
    this(count, numFeatures, numClasses, seed, noise, 0);
  }

  /** Validates the fields. */
  public SyntheticSpec {
    if (count < 1) {
      throw new IllegalArgumentException("synthetic data: n = " + count + " must be >= 1");
    }
    DataSpecParser.requireFeatures(numFeatures);
    DataSpecParser.requireClasses(numClasses);
    if (firstId < 0) {
      throw new IllegalArgumentException("synthetic data: start = " + firstId + " must be >= 0");
    }
    if (!(noise >= 0 && noise <= MAX_NOISE)) {
      throw new IllegalArgumentException(
          "synthetic data: noise = " + noise + " must lie in [0, " + MAX_NOISE + "]");
    }
  }

  @Override
  public Format format() {
    return Format.SYNTHETIC;
  }
}
