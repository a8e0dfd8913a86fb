package io.sparkzero.pruning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PruningOptionsTest {

  private static final PruningOptions DEFAULTS = PruningOptions.defaults();

  @Test
  void defaultsKeepAllWithAHalfFloor() {
    assertThat(DEFAULTS).isEqualTo(new PruningOptions(1.0, KeepPolicy.AUTO, 0.5, 1000, 1));
  }

  @Test
  void aFractionOutsideZeroToOneIsRefused() {
    for (double bad : new double[] {0.0, -0.1, 1.5, Double.NaN}) {
      assertThatThrownBy(() -> DEFAULTS.withFraction(bad)).isInstanceOf(PruningException.class)
          .hasMessage("option 'pruning.fraction': value '" + bad + "' is not allowed; expected a number in (0.0, 1.0]");
    }
  }

  @Test
  void aFloorOutsideZeroToOneIsRefused() {
    for (double bad : new double[] {-0.1, 1.01, Double.NaN}) {
      assertThatThrownBy(() -> DEFAULTS.withClassFloor(bad)).isInstanceOf(PruningException.class)
          .hasMessage("option 'pruning.class-floor': value '" + bad + "' is not allowed; expected a number in [0.0, 1.0]");
    }
    assertThat(DEFAULTS.withClassFloor(0).classFloor()).isZero();
    assertThat(DEFAULTS.withClassFloor(1).classFloor()).isEqualTo(1.0);
  }

  @Test
  void keepIsReadInAnyCaseAndAnUnknownOneListsTheChoices() {
    assertThat(KeepPolicy.of(" Hard ")).isEqualTo(KeepPolicy.HARD);
    assertThat(PruningOptionSpecs.KEEP.parse("EASY")).isEqualTo(KeepPolicy.EASY);
    assertThatThrownBy(() -> KeepPolicy.of("hardest")).isInstanceOf(PruningException.class)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("option 'pruning.keep': value 'hardest' is not allowed; expected one of hard | easy | auto");
  }

  @Test
  void everySpecHasAPruningKeyAndADoc() {
    assertThat(PruningOptionSpecs.ALL).allSatisfy(spec -> {
      assertThat(spec.key()).startsWith("pruning.");
      assertThat(spec.doc()).isNotBlank();
    });
  }
}
