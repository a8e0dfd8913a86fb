package io.sparkzero.driver.data;

import io.sparkzero.worker.data.LabeledExample;
import java.util.SplittableRandom;
import org.apache.spark.api.java.function.Function;

/**
 * Makes synthetic example {@code id} from the spec alone, so the data does not depend on how ids
 * are spread over partitions or executors.
 *
 * <p>Each class has a prototype: {@code numFeatures} values uniform in {@code [0, 1]}, derived by
 * hashing {@code (seed, class, feature)}, so no table is built or shipped. Example {@code id} draws
 * its label uniformly and adds Gaussian noise of standard deviation {@code noise} to its class
 * prototype, clipped to {@code [0, 1]}, all from a generator seeded with {@code (seed, id)}.
 * Prototypes sit far apart relative to the default noise, so a small network separates the
 * classes within an epoch or two.
 */
public final class SyntheticExampleMaker implements Function<Long, LabeledExample> {

  private static final long serialVersionUID = 1L;
  /** Keeps the prototype hash stream apart from the per-example stream of the same seed. */
  private static final long PROTOTYPE_SALT = 0x5851F42D4C957F2DL;
  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  private final SyntheticSpec spec;

  /** A maker for {@code spec}'s examples; cheap, holds only the spec. */
  public SyntheticExampleMaker(SyntheticSpec spec) {
    this.spec = spec;
  }

  @Override
  public LabeledExample call(Long id) {
    return make(id);
  }

  /** The example with this id; the same for the same spec and id, on any machine. */
  public LabeledExample make(long id) {
    SplittableRandom random = new SplittableRandom(mix(spec.seed() + GOLDEN_GAMMA * (id + 1)));
    int label = random.nextInt(spec.numClasses());
    float[] features = new float[spec.numFeatures()];
    for (int j = 0; j < features.length; j += 2) {
      // Box-Muller gives two independent Gaussians per pair of uniforms; written out here rather
      // than RandomGenerator.nextGaussian() so the data cannot change with the JDK.
      double radius = Math.sqrt(-2 * Math.log(1 - random.nextDouble()));
      double angle = 2 * Math.PI * random.nextDouble();
      features[j] = noisy(label, j, radius * Math.cos(angle));
      if (j + 1 < features.length) {
        features[j + 1] = noisy(label, j + 1, radius * Math.sin(angle));
      }
    }
    return new LabeledExample(id, label, features);
  }

  private float noisy(int label, int feature, double gaussian) {
    double value = prototype(label, feature) + spec.noise() * gaussian;
    return (float) Math.min(1.0, Math.max(0.0, value));
  }

  /** Feature {@code feature} of class {@code label}'s prototype, uniform in {@code [0, 1)}. */
  double prototype(int label, int feature) {
    long key = (long) label * spec.numFeatures() + feature;
    long bits = mix(mix(spec.seed() ^ PROTOTYPE_SALT) + GOLDEN_GAMMA * (key + 1));
    return (bits >>> 11) * 0x1.0p-53;
  }

  /** The SplitMix64 finalizer: spreads nearby inputs over all 64 bits. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
