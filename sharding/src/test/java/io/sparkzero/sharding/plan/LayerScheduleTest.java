package io.sparkzero.sharding.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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

  @Test
  void stage3TakesEachLayerTwiceExceptTheOnesKeptAcrossTheTurn() {
    List<LayerSchedule.Buffer> steps = LayerSchedule.stage3(WIDE_MLP, 1);
    // forward gathers 0, 1 (prefetched), 2; layer 0 freed; 1 and 2 kept for the backward;
    // backward gathers 0 again; each layer's gradient once.
    assertThat(steps).extracting(b -> b.kind() + "" + b.layer() + "#" + b.occurrence())
        .containsExactly("PARAMS0#0", "PARAMS1#0", "PARAMS2#0", "GRADIENTS2#0", "PARAMS0#1",
            "GRADIENTS1#0", "GRADIENTS0#0");
    assertThat(LayerSchedule.stage2(WIDE_MLP)).extracting(LayerSchedule.Buffer::layer)
        .containsExactly(2, 1, 0);
  }

  @Test
  void layoutNeverPutsTwoLiveBuffersOnTheSameElements() {
    SplittableRandom random = new SplittableRandom(11);
    for (int trial = 0; trial < 300; trial++) {
      long[] layers = new long[1 + random.nextInt(10)];
      for (int i = 0; i < layers.length; i++) {
        layers[i] = 1 + random.nextInt(1000);
      }
      int prefetch = random.nextInt(3);
      for (List<LayerSchedule.Buffer> schedule :
          List.of(LayerSchedule.stage2(layers), LayerSchedule.stage3(layers, prefetch))) {
        BufferLayout layout = BufferLayout.of(schedule);
        for (LayerSchedule.Buffer a : schedule) {
          long from = layout.offset(a.kind(), a.layer(), a.occurrence());
          assertThat(from).isNotNegative();
          assertThat(from + a.length()).isLessThanOrEqualTo(layout.slabElements());
          for (LayerSchedule.Buffer b : schedule) {
            if (a != b && a.overlapsInTime(b)) {
              long other = layout.offset(b.kind(), b.layer(), b.occurrence());
              assertThat(from + a.length() <= other || other + b.length() <= from)
                  .as("%s and %s overlap in slab %s", a, b, java.util.Arrays.toString(layers))
                  .isTrue();
            }
          }
        }
        assertThat(layout.slabElements()).isGreaterThanOrEqualTo(layout.peakLiveElements());
      }
    }
  }

  @Test
  void layoutOfWideMlpNeedsNoMoreThanThePeakOfLiveBuffers() {
    for (List<LayerSchedule.Buffer> schedule :
        List.of(LayerSchedule.stage2(WIDE_MLP), LayerSchedule.stage3(WIDE_MLP, 0),
            LayerSchedule.stage3(WIDE_MLP, 1), LayerSchedule.stage3(WIDE_MLP, 2))) {
      BufferLayout layout = BufferLayout.of(schedule);
      assertThat(layout.slabElements()).isEqualTo(layout.peakLiveElements());
    }
  }

  @Test
  void unknownBufferHasNoOffset() {
    BufferLayout layout = BufferLayout.of(LayerSchedule.stage2(WIDE_MLP));
    assertThat(layout.offset(LayerSchedule.Kind.PARAMS, 0, 0)).isEqualTo(-1);
    assertThat(layout.offset(LayerSchedule.Kind.GRADIENTS, 1, 1)).isEqualTo(-1);
  }
}
