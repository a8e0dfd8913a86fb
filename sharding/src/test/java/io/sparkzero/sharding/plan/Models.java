package io.sparkzero.sharding.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Tensor layouts for tests: DL4J-style names ({@code "<layer>_W"}, {@code "<layer>_b"}). */
final class Models {

  private Models() {}

  /** One tensor per entry of {@code sizes[layer]}, laid out layer after layer from offset 0. */
  static List<TensorSpan> layers(int[]... sizes) {
    List<TensorSpan> tensors = new ArrayList<>();
    int offset = 0;
    for (int layer = 0; layer < sizes.length; layer++) {
      for (int t = 0; t < sizes[layer].length; t++) {
        String name = layer + "_" + "Wbgv".charAt(t % 4);
        tensors.add(new TensorSpan(name, layer, offset, sizes[layer][t]));
        offset += sizes[layer][t];
      }
    }
    return tensors;
  }

  /** A single tensor covering {@code [0, numParams)}. */
  static List<TensorSpan> flat(int numParams) {
    return List.of(new TensorSpan("0_W", 0, 0, numParams));
  }

  /** 1..12 layers of 1..3 tensors; now and then a layer far larger than the others. */
  static List<TensorSpan> random(Random random) {
    int layers = 1 + random.nextInt(12);
    int[][] sizes = new int[layers][];
    for (int l = 0; l < layers; l++) {
      sizes[l] = new int[1 + random.nextInt(3)];
      for (int t = 0; t < sizes[l].length; t++) {
        sizes[l][t] = 1 + (random.nextInt(8) == 0 ? random.nextInt(5000) : random.nextInt(300));
      }
    }
    return layers(sizes);
  }

  static int total(List<TensorSpan> tensors) {
    return tensors.get(tensors.size() - 1).end();
  }
}
