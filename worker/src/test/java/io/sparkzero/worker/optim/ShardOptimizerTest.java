package io.sparkzero.worker.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sparkzero.sharding.collective.FloatBlock;
import io.sparkzero.worker.model.ParamTensor;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShardOptimizerTest {

  private final Map<ShardOptimizer, HeapState> states = new IdentityHashMap<>();

  /** One step through a stepper over plain arrays, no gradient scaling. */
  private void step(ShardOptimizer optimizer, RegionUpdate region, float[] p, float[] g,
      float lr) {
    HeapState state = states.computeIfAbsent(optimizer,
        o -> new HeapState(o.stateSlots(), region.to() - region.from()));
    new ShardStepper(optimizer, state, region)
        .step(FloatBlock.of(p), 0, FloatBlock.of(g), 0, 1f, lr);
  }

  /** Element {@code element} of state slot {@code slot} of {@code optimizer}'s region. */
  private float state(ShardOptimizer optimizer, int slot, int element) {
    float[] one = new float[1];
    states.get(optimizer).read(slot, element, one, 0, 1);
    return one[0];
  }

  @Test
  void sgdMomentumMatchesHandComputedSteps() {
    float[] p = {1f, -2f};
    SgdMomentum sgd = new SgdMomentum(0.9f);
    RegionUpdate all = RegionUpdate.allTrained(0, 2);
    step(sgd, all, p, new float[] {0.5f, 1f}, 0.1f);
    // v = g; p -= 0.1 v
    assertThat(p[0]).isCloseTo(0.95f, within(1e-7f));
    assertThat(p[1]).isCloseTo(-2.1f, within(1e-7f));
    step(sgd, all, p, new float[] {0.5f, 1f}, 0.1f);
    // v = 0.9*0.5 + 0.5 = 0.95 ; v = 0.9*1 + 1 = 1.9
    assertThat(p[0]).isCloseTo(0.95f - 0.095f, within(1e-6f));
    assertThat(p[1]).isCloseTo(-2.1f - 0.19f, within(1e-6f));
    assertThat(sgd.stepCount()).isEqualTo(2);
  }

  @Test
  void adamMatchesHandComputedSteps() {
    float[] p = {1f};
    Adam adam = new Adam(0.9f, 0.999f, 1e-8f);
    RegionUpdate all = RegionUpdate.allTrained(0, 1);
    step(adam, all, p, new float[] {2f}, 0.01f);
    // t=1: m=0.2, v=0.004, mhat=2, vhat=4 -> step = lr * 2/(2+eps) = 0.01
    assertThat(p[0]).isCloseTo(0.99f, within(1e-6f));
    step(adam, all, p, new float[] {-1f}, 0.01f);
    double m = 0.9 * 0.2 + 0.1 * -1;
    double v = 0.999 * 0.004 + 0.001 * 1;
    double mhat = m / (1 - 0.81);
    double vhat = v / (1 - 0.999 * 0.999);
    assertThat((double) p[0]).isCloseTo(0.99 - 0.01 * mhat / (Math.sqrt(vhat) + 1e-8), within(1e-6));
    assertThat(state(adam, 0, 0)).isCloseTo((float) m, within(1e-7f));
  }

  @Test
  void runningStatisticsAreSubtractedAsIsAndCarryNoState() {
    List<ParamTensor> tensors = List.of(
        new ParamTensor("0_W", 0, 2, ParamTensor.Kind.WEIGHT),
        new ParamTensor("1_mean", 2, 1, ParamTensor.Kind.RUNNING_STAT),
        new ParamTensor("1_gamma", 3, 1, ParamTensor.Kind.NORM));
    RegionUpdate region = RegionUpdate.of(tensors, 0, 4);
    float[] p = {1f, 1f, 5f, 1f};
    SgdMomentum sgd = new SgdMomentum(0f);
    step(sgd, region, p, new float[] {1f, 1f, 0.25f, 1f}, 0.5f);
    assertThat(p).containsExactly(0.5f, 0.5f, 4.75f, 0.5f);
    assertThat(state(sgd, 0, 2)).isZero();
  }

  @Test
  void aShardUpdatesOnlyItsRegionWithStateIndexedFromTheRegionStart() {
    float[] p = {1f, 1f, 1f, 1f};
    SgdMomentum sgd = new SgdMomentum(0f);
    step(sgd, RegionUpdate.allTrained(2, 4), p, new float[] {1f, 1f, 1f, 1f}, 1f);
    assertThat(p).containsExactly(1f, 1f, 0f, 0f);
    assertThat(states.get(sgd).length()).isEqualTo(2);
  }

  @Test
  void unknownOptimizerNameIsRejectedWithTheAllowedNames() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new OptimizerOptions("lion", 1e-3, 0.9, 0.9, 0.999, 1e-8).create())
        .hasMessageContaining("lion").hasMessageContaining("sgd, adam");
  }
}
