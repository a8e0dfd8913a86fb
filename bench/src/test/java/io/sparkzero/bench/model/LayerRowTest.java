package io.sparkzero.bench.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkzero.worker.model.LayerUnit;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class LayerRowTest {
  private static final List<String> FMNIST_CNN =
      List.of("conv1", "pool1", "conv2", "pool2", "dense", "output");

  @Test
  void layersWithoutParametersAreTheGapAfterTheUnitBeforeThem() {
    List<LayerUnit> units = List.of(new LayerUnit("0", 0, 832), new LayerUnit("2", 832, 52096),
        new LayerUnit("4", 52096, 1658240), new LayerUnit("5", 1658240, 1663370));
    assertThat(LayerRow.of(units, FMNIST_CNN)).containsExactly(
        new LayerRow("conv1", 0, false), new LayerRow("pool1", 0, true),
        new LayerRow("conv2", 1, false), new LayerRow("pool2", 1, true),
        new LayerRow("dense", 2, false), new LayerRow("output", 3, false));
  }

  @Test
  void aGapOfSeveralLayersIsOneRow() {
    List<LayerUnit> units = List.of(new LayerUnit("0", 0, 10), new LayerUnit("3", 10, 20));
    assertThat(LayerRow.of(units, List.of("conv", "pool", "dropout", "output")))
        .containsExactly(new LayerRow("conv", 0, false), new LayerRow("pool+dropout", 0, true),
            new LayerRow("output", 1, false));
  }

  @Test
  void timesAUnitBetweenItsHooksAndAGapBetweenItsNeighbours() {
    // In hook order: unit 0 forward, unit 1 forward, unit 1 backward, unit 0 backward.
    Iterator<Long> timesNs = List.of(100L, 130L, 150L, 190L, 200L, 260L, 290L, 380L).iterator();
    LayerClock clock = new LayerClock(2, timesNs::next);
    clock.beforeForward(0);
    clock.afterForward(0);
    clock.beforeForward(1);
    clock.afterForward(1);
    clock.beforeBackward(1);
    clock.afterBackward(1);
    clock.beforeBackward(0);
    clock.afterBackward(0);
    assertThat(new LayerRow("conv", 0, false).forwardNs(clock)).isEqualTo(30);
    assertThat(new LayerRow("pool", 0, true).forwardNs(clock)).isEqualTo(20);
    assertThat(new LayerRow("output", 1, false).backwardNs(clock)).isEqualTo(60);
    assertThat(new LayerRow("pool", 0, true).backwardNs(clock)).isEqualTo(30);
    assertThat(new LayerRow("conv", 0, false).backwardNs(clock)).isEqualTo(90);
  }

  @Test
  void refusesLayersNoHooksBracket() {
    assertThatThrownBy(() -> LayerRow.of(List.of(new LayerUnit("1", 0, 10)),
        List.of("pool", "output")))
        .hasMessage("layer pool has no parameters and comes first: no hooks bracket it");
  }
}
