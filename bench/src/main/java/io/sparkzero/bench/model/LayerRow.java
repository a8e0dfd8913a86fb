package io.sparkzero.bench.model;

import io.sparkzero.worker.model.LayerUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * One row of the layer profile, timed from a {@link LayerClock}: a unit (a layer with parameters,
 * between its own hooks), or the layers without parameters between unit {@code unit} and the next
 * one (pooling), which run in the gap between the two units' hooks.
 *
 * <p>A gap holds a little more than its layers: forward, the next layer's input preprocessor (the
 * flattening before a dense layer); backward, the same preprocessor's backprop. The activation
 * itself is part of its conv or dense layer, as in DL4J.
 *
 * @param name the layer's name from {@link LayerNames}; layers of one gap joined by {@code +}
 * @param unit the unit timed, or the unit the gap follows
 * @param gap whether the row is the gap after {@code unit} rather than the unit
 */
record LayerRow(String name, int unit, boolean gap) {

  /**
   * The rows of a MultiLayerNetwork in layer order.
   *
   * @param units the pass's units, whose names are DL4J layer indices
   * @param layerNames one name per DL4J layer
   * @throws IllegalArgumentException where a layer without parameters comes before the first unit
   *     or after the last, where no pair of hooks brackets it
   */
  static List<LayerRow> of(List<LayerUnit> units, List<String> layerNames) {
    List<LayerRow> rows = new ArrayList<>();
    int previous = -1;
    for (int k = 0; k < units.size(); k++) {
      int layer = Integer.parseInt(units.get(k).name());
      if (layer <= previous) {
        throw new IllegalStateException("unit " + k + " is layer " + layer
            + ", not after layer " + previous + ": units must follow the layer order");
      }
      if (k == 0 && layer > 0) {
        throw new IllegalArgumentException("layer " + layerNames.get(0)
            + " has no parameters and comes first: no hooks bracket it");
      }
      if (layer > previous + 1 && k > 0) {
        rows.add(new LayerRow(
            String.join("+", layerNames.subList(previous + 1, layer)), k - 1, true));
      }
      rows.add(new LayerRow(layerNames.get(layer), k, false));
      previous = layer;
    }
    if (previous != layerNames.size() - 1) {
      throw new IllegalArgumentException("layers after " + layerNames.get(previous)
          + " have no parameters: no hooks bracket them");
    }
    return List.copyOf(rows);
  }

  /** This row's forward time in the pass {@code clock} last saw. */
  long forwardNs(LayerClock clock) {
    return gap
        ? clock.forwardStartNs(unit + 1) - clock.forwardEndNs(unit)
        : clock.forwardEndNs(unit) - clock.forwardStartNs(unit);
  }

  /** This row's backward time in the pass {@code clock} last saw (backward runs units n-1 .. 0). */
  long backwardNs(LayerClock clock) {
    return gap
        ? clock.backwardStartNs(unit) - clock.backwardEndNs(unit + 1)
        : clock.backwardEndNs(unit) - clock.backwardStartNs(unit);
  }
}
