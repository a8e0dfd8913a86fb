package io.sparkzero.sharding.plan;

import java.util.ArrayList;
import java.util.List;

/** Groups layers into gradient-communication buckets in the order the backward pass fills them. */
final class Buckets {

  private Buckets() {}

  /**
   * Buckets covering all layers, highest offsets first. Whole consecutive layers share a bucket
   * while it stays within {@code bucketElements}; a longer layer gets buckets of its own, cut from
   * its end downwards so that only its lowest piece may be short.
   */
  static List<Range> backward(Range[] layers, int bucketElements) {
    List<Range> buckets = new ArrayList<>();
    int openFrom = -1;
    int openTo = -1;
    for (int l = layers.length - 1; l >= 0; l--) {
      Range layer = layers[l];
      boolean fitsOpen = openFrom >= 0 && (long) openTo - layer.from() <= bucketElements;
      if (openFrom >= 0 && !fitsOpen) {
        buckets.add(new Range(openFrom, openTo));
        openFrom = -1;
      }
      if (layer.length() > bucketElements) {
        for (int to = layer.to(); to > layer.from(); to -= bucketElements) {
          buckets.add(new Range(Math.max(layer.from(), to - bucketElements), to));
        }
      } else if (openFrom >= 0) {
        openFrom = layer.from();
      } else {
        openFrom = layer.from();
        openTo = layer.to();
      }
    }
    if (openFrom >= 0) {
      buckets.add(new Range(openFrom, openTo));
    }
    return List.copyOf(buckets);
  }
}
