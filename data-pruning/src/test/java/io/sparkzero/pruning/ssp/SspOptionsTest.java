package io.sparkzero.pruning.ssp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class SspOptionsTest {

  @Test
  void kDefaultsToTenPerClass() {
    assertThat(SspOptions.defaults(1).resolveK(10)).isEqualTo(100);
    assertThat(SspOptions.defaults(1).withK(7).resolveK(10)).isEqualTo(7);
  }

  @Test
  void kIsRequiredWithoutLabels() {
    assertThatThrownBy(() -> SspOptions.defaults(1).resolveK(0)).hasMessage(
        "pruning.k is required when no example has a label (all labels are -1); "
            + "allowed: 1..number of examples");
  }

  @Test
  void refusesOutOfRangeValues() {
    assertThatThrownBy(() -> SspOptions.defaults(1).withK(0))
        .hasMessage("pruning.k = 0 is below 1; allowed: 1..number of examples");
    assertThatThrownBy(() -> new SspOptions(OptionalInt.empty(), 1, 0, 1e-4))
        .hasMessage("pruning.maxIterations = 0 is below 1; allowed: 1 or more");
    assertThatThrownBy(() -> new SspOptions(OptionalInt.empty(), 1, 20, Double.NaN))
        .hasMessageStartingWith("pruning.tolerance = NaN is not allowed");
  }
}
