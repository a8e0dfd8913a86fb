package io.sparkzero.worker.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class OptimizerKindTest {

  /** The planner counts {@code stateSlots()}; the built optimizer must keep exactly that many. */
  @ParameterizedTest
  @EnumSource(OptimizerKind.class)
  void theStateSlotsThePlannerCountsAreTheOnesTheOptimizerKeeps(OptimizerKind kind) {
    OptimizerOptions options = new OptimizerOptions(kind.optionName(), 1e-3, 0.9, 0.9, 0.999,
        kind.dividesByEpsilon() ? kind.defaultEpsilon() : 0);
    assertThat(options.kind()).isEqualTo(kind);
    assertThat(options.create().stateSlots()).isEqualTo(kind.stateSlots());
    assertThat(options.weightDecay()).isEqualTo(kind.defaultWeightDecay());
  }

  @Test
  void thePapersDefaults() {
    assertThat(OptimizerKind.LAMB.defaultEpsilon()).isEqualTo(1e-6);
    assertThat(OptimizerKind.ADAM.defaultEpsilon()).isEqualTo(1e-8);
    assertThat(OptimizerKind.LARS.defaultEpsilon()).isZero();
    assertThat(OptimizerKind.LARS.defaultWeightDecay()).isEqualTo(1e-4);
    assertThat(OptimizerKind.LAMB.defaultWeightDecay()).isEqualTo(0.01);
    assertThat(OptimizerKind.SGD.takesWeightDecay()).isFalse();
    assertThat(OptimizerKind.ADAM.takesWeightDecay()).isFalse();
  }

  @Test
  void namesReadInAnyCaseAndAnUnknownOneListsTheKnown() {
    assertThat(OptimizerKind.names()).containsExactly("sgd", "adam", "lars", "lamb");
    assertThat(OptimizerKind.named(" LAMB ")).isEqualTo(OptimizerKind.LAMB);
    assertThatThrownBy(() -> OptimizerKind.named("rmsprop"))
        .hasMessage("optimizer.name: 'rmsprop' is not known; allowed: sgd, adam, lars, lamb");
  }

  @Test
  void weightDecayOnAKindThatTakesNoneIsRefused() {
    OptimizerOptions adam = new OptimizerOptions("adam", 1e-3, 0.9, 0.9, 0.999, 1e-8, 0.01,
        OptimizerOptions.DEFAULT_TRUST, TensorTable.DEFAULT_EXCLUDE, 0);
    assertThatThrownBy(adam::create).hasMessageContaining("optimizer.weight-decay: 0.01 with adam");
  }
}
