package io.sparkzero.sharding.plan;

import java.util.List;

/**
 * Checks that a model's tensors tile the flat vector exactly and derives the layers from them.
 * Every refusal names the tensor at fault and says what was expected instead.
 */
final class TensorTiling {

  private TensorTiling() {}

  /**
   * The range of each layer, after checking that {@code tensors} tile {@code [0, numParams)} in
   * order and that layer indices start at 0 and grow by 0 or 1 from one tensor to the next.
   */
  static Range[] layers(int numParams, List<TensorSpan> tensors) {
    if (numParams < 1) {
      throw new IllegalArgumentException("numParams must be >= 1, got " + numParams);
    }
    if (tensors == null || tensors.isEmpty()) {
      throw new IllegalArgumentException(
          "no tensors given: they must tile [0, " + numParams + ") in offset order");
    }
    TensorSpan first = tensors.get(0);
    if (first.layer() != 0) {
      throw new IllegalArgumentException(
          describe(0, first) + " belongs to layer " + first.layer()
              + ", but the first tensor must belong to layer 0");
    }
    int expectedOffset = 0;
    TensorSpan previous = null;
    for (int i = 0; i < tensors.size(); i++) {
      TensorSpan t = tensors.get(i);
      checkPlacement(i, t, previous, expectedOffset);
      if (previous != null && t.layer() != previous.layer() && t.layer() != previous.layer() + 1) {
        throw new IllegalArgumentException(
            describe(i, t) + " belongs to layer " + t.layer() + " but follows "
                + describe(i - 1, previous) + " of layer " + previous.layer()
                + ": layer indices must increase by 0 or 1 from one tensor to the next");
      }
      expectedOffset = t.end();
      previous = t;
    }
    if (expectedOffset != numParams) {
      throw new IllegalArgumentException(
          "the tensors end at offset " + expectedOffset + " but numParams is " + numParams
              + ": the last one, " + describe(tensors.size() - 1, previous)
              + ", must end at numParams");
    }
    return layerRanges(tensors, previous.layer() + 1);
  }

  private static void checkPlacement(int i, TensorSpan t, TensorSpan previous, int expectedOffset) {
    if (t.offset() == expectedOffset) {
      return;
    }
    if (previous == null) {
      throw new IllegalArgumentException(
          describe(i, t) + " starts at offset " + t.offset()
              + ", but the first tensor must start at 0");
    }
    String where = describe(i, t) + " starts at offset " + t.offset() + " but the previous one, "
        + describe(i - 1, previous) + ", ends at " + expectedOffset;
    if (t.offset() > expectedOffset) {
      throw new IllegalArgumentException(
          where + ": gap of " + (t.offset() - expectedOffset) + " elements between them");
    }
    throw new IllegalArgumentException(
        where + ": they overlap by " + (expectedOffset - t.offset()) + " elements");
  }

  private static Range[] layerRanges(List<TensorSpan> tensors, int layerCount) {
    int[] from = new int[layerCount];
    int[] to = new int[layerCount];
    for (int i = tensors.size() - 1; i >= 0; i--) {
      TensorSpan t = tensors.get(i);
      from[t.layer()] = t.offset();
      to[t.layer()] = Math.max(to[t.layer()], t.end());
    }
    Range[] layers = new Range[layerCount];
    for (int l = 0; l < layerCount; l++) {
      layers[l] = new Range(from[l], to[l]);
    }
    return layers;
  }

  private static String describe(int index, TensorSpan t) {
    return "tensor " + index + " '" + t.name() + "'";
  }
}
