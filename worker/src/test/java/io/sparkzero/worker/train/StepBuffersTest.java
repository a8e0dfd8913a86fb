package io.sparkzero.worker.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkzero.sharding.plan.BufferLayout;
import io.sparkzero.sharding.plan.LayerSchedule;
import org.junit.jupiter.api.Test;

class StepBuffersTest {
  private static final long[] LAYERS = {30, 100, 7};

  @Test
  void stepTakesItsBuffersAtThePlannedOffsetsOfOneSlab() {
    BufferLayout layout = BufferLayout.of(LayerSchedule.stage2(LAYERS));
    StepBuffers buffers = new StepBuffers(layout, LAYERS.length);
    for (int step = 0; step < 3; step++) {
      buffers.beginStep();
      StepBuffers.Lease g2 = buffers.take(LayerSchedule.Kind.GRADIENTS, 2, 7);
      StepBuffers.Lease g1 = buffers.take(LayerSchedule.Kind.GRADIENTS, 1, 100);
      buffers.free(g2);
      StepBuffers.Lease g0 = buffers.take(LayerSchedule.Kind.GRADIENTS, 0, 30);
      assertThat(g1.array().data().address()).as("views of one slab")
          .isEqualTo(g0.array().data().address());
      assertThat(g0.array().offset())
          .isEqualTo(layout.offset(LayerSchedule.Kind.GRADIENTS, 0, 0));
      assertThat(g1.array().offset())
          .isEqualTo(layout.offset(LayerSchedule.Kind.GRADIENTS, 1, 0));
      assertThat(g0.array().length()).isEqualTo(30);
      buffers.free(g1);
      buffers.free(g0);
    }
    assertThat(buffers.overflowCount()).isZero();
    assertThat(buffers.heldPeakBytes()).isEqualTo(4L * layout.slabElements()).isEqualTo(4L * 130);
    assertThat(buffers.peakBytes()).isEqualTo(4L * 130);
  }

  @Test
  void requestOutsideThePlanGetsItsOwnBufferAndIsCounted() {
    BufferLayout layout = BufferLayout.of(LayerSchedule.stage2(LAYERS));
    StepBuffers buffers = new StepBuffers(layout, LAYERS.length);
    buffers.beginStep();
    // A second gradient of layer 1 in one step is not in the schedule.
    StepBuffers.Lease g1 = buffers.take(LayerSchedule.Kind.GRADIENTS, 1, 100);
    StepBuffers.Lease again = buffers.take(LayerSchedule.Kind.GRADIENTS, 1, 100);
    assertThat(again.array().data().address()).isNotEqualTo(g1.array().data().address());
    assertThat(buffers.overflowCount()).isEqualTo(1);
    assertThat(buffers.heldPeakBytes()).isEqualTo(4L * (130 + 100));
    buffers.free(again);
    buffers.free(g1);
    assertThatThrownBy(() -> buffers.free(g1)).hasMessageContaining("freed twice");
  }

  @Test
  void plannedPlaceStillInUseIsNotHandedOutTwice() {
    BufferLayout layout = BufferLayout.of(LayerSchedule.stage2(LAYERS));
    StepBuffers buffers = new StepBuffers(layout, LAYERS.length);
    buffers.beginStep();
    StepBuffers.Lease g2 = buffers.take(LayerSchedule.Kind.GRADIENTS, 2, 7);
    StepBuffers.Lease g1 = buffers.take(LayerSchedule.Kind.GRADIENTS, 1, 100);
    // Layer 0 is planned where layer 2 sits; layer 2 has not been given back yet.
    StepBuffers.Lease g0 = buffers.take(LayerSchedule.Kind.GRADIENTS, 0, 30);
    assertThat(g0.array().data().address()).isNotEqualTo(g1.array().data().address());
    assertThat(buffers.overflowCount()).isEqualTo(1);
    buffers.free(g0);
    buffers.free(g1);
    buffers.free(g2);
    buffers.beginStep(); // everything given back
  }

  @Test
  void newStepWithBuffersStillOutFails() {
    StepBuffers buffers = new StepBuffers(BufferLayout.of(LayerSchedule.stage2(LAYERS)), 3);
    buffers.beginStep();
    buffers.take(LayerSchedule.Kind.GRADIENTS, 2, 7);
    assertThatThrownBy(buffers::beginStep).hasMessageContaining("still in use");
  }
}
