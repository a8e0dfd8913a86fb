package io.sparkzero.worker.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaskedPatchesTest {
  private static final MaskedPatches EPOCH_0 = MaskedPatches.of(784, 0.5, 7, 0);

  @Test
  void theMaskIsAFunctionOfSeedEpochAndId() {
    assertThat(MaskedPatches.of(784, 0.5, 7, 0).mask(42)).containsExactly(EPOCH_0.mask(42));
    assertThat(EPOCH_0.patches()).isEqualTo(49);
    assertThat(EPOCH_0.mask(43)).as("another id").isNotEqualTo(EPOCH_0.mask(42));
    assertThat(MaskedPatches.of(784, 0.5, 7, 1).mask(42)).as("another epoch")
        .isNotEqualTo(EPOCH_0.mask(42));
    assertThat(MaskedPatches.of(784, 0.5, 8, 0).mask(42)).as("another seed")
        .isNotEqualTo(EPOCH_0.mask(42));
  }

  @Test
  void aboutTheAskedShareOfPatchesIsZeroed() {
    for (double ratio : new double[] {0.25, 0.5, 0.75}) {
      MaskedPatches masks = MaskedPatches.of(784, ratio, 1, 3);
      long zeroed = 0;
      int examples = 2000;
      for (long id = 0; id < examples; id++) {
        for (boolean m : masks.mask(id)) {
          zeroed += m ? 1 : 0;
        }
      }
      // 98,000 Bernoulli draws: the share's standard deviation is below 0.0016
      assertThat((double) zeroed / (examples * 49.0)).as("ratio %s", ratio)
          .isCloseTo(ratio, org.assertj.core.data.Offset.offset(0.01));
    }
  }

  @Test
  void theInputIsTheImageWithWholePatchesZeroedAndTheTargetIsTheCleanImage() {
    List<LabeledExample> examples = new ArrayList<>();
    for (int id = 0; id < 4; id++) {
      float[] x = new float[784];
      Arrays.fill(x, 0.25f + 0.1f * id); // no pixel is 0 before masking
      examples.add(new LabeledExample(id, id, x));
    }
    LocalDataset data = LocalDataset.collect(examples.iterator(), 784, 10);
    int[] indices = {2, 0, 3};
    LocalDataset.Batch batch = EPOCH_0.batch(data, indices);

    float[] target = batch.labels().data().asFloat();
    float[] input = batch.features().data().asFloat();
    assertThat(batch.labels().shape()).containsExactly(3, 784);
    assertThat(target).as("the target is the clean images").containsExactly(data.features(indices));
    for (int i = 0; i < indices.length; i++) {
      boolean[] mask = EPOCH_0.mask(data.id(indices[i]));
      for (int pixel = 0; pixel < 784; pixel++) {
        int patch = (pixel / 28 / 4) * 7 + (pixel % 28) / 4;
        float expected = mask[patch] ? 0f : target[i * 784 + pixel];
        assertThat(input[i * 784 + pixel]).as("example %d pixel %d", i, pixel).isEqualTo(expected);
      }
    }
  }

  @Test
  void imagesThatAreNotSquaresOfWholePatchesAreRefused() {
    assertThat(MaskedPatches.of(1024, 0.5, 1, 0).patches()).isEqualTo(64); // 32x32
    for (int features : new int[] {100, 785, 900}) { // 10x10, not square, 30x30
      assertThatThrownBy(() -> MaskedPatches.of(features, 0.5, 1, 0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(features + " features").hasMessageContaining("multiple of 4");
    }
  }

  @Test
  void classifyCutsTheBatchAsBefore() {
    LocalDataset data = LocalDataset.collect(List.of(new LabeledExample(5, 3, new float[784]))
        .iterator(), 784, 10);
    LocalDataset.Batch batch = Objective.classify().batches(1, 0, 784).batch(data, new int[] {0});
    assertThat(batch.labels().getFloat(0, 3)).isEqualTo(1f);
    assertThat(Objective.reconstruct(0.5).batches(1, 0, 784)).isEqualTo(MaskedPatches.of(784, 0.5, 1, 0));
  }
}
