package io.sparkzero.sharding.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LayerScheduleTest {

  /** wide-mlp at width 4096: 784x4096+4096, 4096x4096+4096, 4096x10+10. */
  private static final long[] WIDE_MLP = {3_215_360, 16_781_312, 40_970};

  @Test
  void stage2HoldsTheTwoLargestNeighbouringGradients() {
    assertThat(LayerSchedule.stage2Elements(WIDE_MLP)).isEqualTo(3_215_360 + 16_781_312);
    assertThat(LayerSchedule.stage2Elements(new long[] {7})).isEqualTo(7);
  }

  @Test
  void stage3PeaksInTheBackwardOfTheLargestLayer() {
    // Backward of layer 1: its parameters, layer 0 prefetched, its gradient, layer 2's gradient.
    long expected = 16_781_312 + 3_215_360 + 16_781_312 + 40_970;
    assertThat(LayerSchedule.stage3Elements(WIDE_MLP, 1)).isEqualTo(expected);
    // Without prefetching layer 0 is not yet gathered then.
    assertThat(LayerSchedule.stage3Elements(WIDE_MLP, 0)).isEqualTo(expected - 3_215_360);
  }

  @Test
  void exactScheduleNeverExceedsTheLargestLayerBound() {
    SplittableRandom random = new SplittableRandom(3);
    for (int trial = 0; trial < 500; trial++) {
      long[] layers = new long[1 + random.nextInt(12)];
      long largest = 0;
      for (int i = 0; i < layers.length; i++) {
        layers[i] = 1 + random.nextInt(1000);
        largest = Math.max(largest, layers[i]);
      }
      int prefetch = random.nextInt(4);
      assertThat(LayerSchedule.stage3Elements(layers, prefetch))
          .isLessThanOrEqualTo(LayerSchedule.stage3UpperBound(largest, prefetch))
          .isGreaterThanOrEqualTo(largest);
      assertThat(LayerSchedule.stage2Elements(layers)).isLessThanOrEqualTo(2 * largest);
    }
  }
}
