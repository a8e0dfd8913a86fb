package io.sparkzero.worker.data;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Masked reconstruction's batches: each image is cut into {@value #PATCH}x{@value #PATCH} pixel
 * patches, each patch is zeroed with probability {@code maskRatio}; the input is the masked image,
 * the target the whole clean image. Rebuilding a zeroed patch from its surroundings makes the
 * network encode shapes and textures, not single pixels (masked autoencoders, He et al. 2022).
 *
 * <p>The mask is a pure function of (job seed, epoch, example id): a SplitMix64 hash, no random
 * generator with state. Any rank, micro-batch split or resumed attempt that cuts an example in an
 * epoch masks it the same way; another epoch masks it anew.
 *
 * @param side image side in pixels (a multiple of {@value #PATCH})
 * @param maskRatio probability that a patch is zeroed, in (0, 1)
 * @param seed the job's seed
 * @param epoch the epoch the batches are for
 */
public record MaskedPatches(int side, double maskRatio, long seed, int epoch) implements BatchMaker {

  /** Patch side in pixels. */
  public static final int PATCH = 4;

  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  /**
   * The maker for images of {@code numFeatures} pixels; throws {@link IllegalArgumentException}
   * unless they form a square whose side is a multiple of {@value #PATCH}.
   */
  public static MaskedPatches of(int numFeatures, double maskRatio, long seed, int epoch) {
    int side = (int) Math.round(Math.sqrt(numFeatures));
    if (side * side != numFeatures || side % PATCH != 0) {
      throw new IllegalArgumentException(numFeatures + " features are not a square grey image whose"
          + " side is a multiple of " + PATCH + " (e.g. 784 = 28x28); masked reconstruction cuts"
          + " images into " + PATCH + "x" + PATCH + " patches");
    }
    return new MaskedPatches(side, maskRatio, seed, epoch);
  }

  /** Patches per image: {@code (side / PATCH)^2}, 49 for 28x28. */
  public int patches() {
    int perRow = side / PATCH;
    return perRow * perRow;
  }

  /** Which patches of example {@code id} are zeroed, row-major over the patch grid. */
  public boolean[] mask(long id) {
    long key = mix(mix(mix(seed) + epoch) + id);
    boolean[] masked = new boolean[patches()];
    for (int p = 0; p < masked.length; p++) {
      double u = (mix(key + (p + 1) * GOLDEN) >>> 11) * 0x1.0p-53;
      masked[p] = u < maskRatio;
    }
    return masked;
  }

  /** Zeroes the masked patches of the image at {@code image[offset, offset + side^2)} in place. */
  public void apply(long id, float[] image, int offset) {
    boolean[] masked = mask(id);
    int perRow = side / PATCH;
    for (int p = 0; p < masked.length; p++) {
      if (masked[p]) {
        int top = (p / perRow) * PATCH;
        int left = (p % perRow) * PATCH;
        for (int r = top; r < top + PATCH; r++) {
          java.util.Arrays.fill(image, offset + r * side + left, offset + r * side + left + PATCH, 0f);
        }
      }
    }
  }

  /** Input: the masked images; target: the clean images, both {@code [b, side^2]}. */
  @Override
  public LocalDataset.Batch batch(LocalDataset data, int[] indices) {
    int d = data.numFeatures();
    float[] clean = data.features(indices);
    float[] masked = clean.clone();
    for (int i = 0; i < indices.length; i++) {
      apply(data.id(indices[i]), masked, i * d);
    }
    long[] shape = {indices.length, d};
    return new LocalDataset.Batch(Nd4j.create(masked, shape, 'c'), Nd4j.create(clean, shape, 'c'));
  }

  /** SplitMix64's finaliser: a bijection of 64 bits whose outputs look independent. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
