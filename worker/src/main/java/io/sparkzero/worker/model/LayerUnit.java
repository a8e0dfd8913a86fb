package io.sparkzero.worker.model;

/**
 * One parameterized DL4J layer of a {@link LayerwisePass}: the slice of the flat parameter (and
 * gradient) vector that the layer owns. DL4J keeps each layer's parameters contiguous, so a unit is
 * one range; units tile the flat vector in offset order.
 *
 * @param name the layer's prefix in tensor names: layer index (MultiLayerNetwork) or vertex name
 *     (ComputationGraph), as in {@link ParamTensor#name()}
 * @param from first element in the flat vector
 * @param to one past the last element
 */
public record LayerUnit(String name, long from, long to) {

  /** Number of parameters of the layer. */
  public long length() {
    return to - from;
  }
}
