package io.sparkzero.worker.optim;

import java.util.Arrays;

/**
 * Sums of squares in {@link #LANES} double lanes per slot: flat element {@code e} is added into
 * lane {@code e mod LANES}, each lane in element order, and a slot's total adds its lanes in lane
 * order. The total therefore depends only on which elements were added, not on how they were cut
 * into chunks, shards or stages; and the lanes are independent chains of additions the CPU runs
 * side by side, where one running sum waits for each addition before the next (about four times
 * the time per element). The lane count is fixed, not the machine's vector width, so the totals
 * are the same bits on every CPU. Each term is the float square {@code v * v}, widened.
 */
final class SquareSums {
  /** Lanes per slot. */
  static final int LANES = 8;

  private final double[] lanes;

  SquareSums(int slots) {
    this.lanes = new double[slots * LANES];
  }

  void clear() {
    Arrays.fill(lanes, 0);
  }

  /** Adds the squares of {@code values[0, count)}, flat elements {@code first, first + 1, ...}. */
  void add(int slot, float[] values, int count, long first) {
    int base = slot * LANES;
    int lane = (int) Math.floorMod(first, (long) LANES);
    int i = 0;
    for (; i < count && lane != 0; i++, lane = (lane + 1) % LANES) {
      float v = values[i];
      lanes[base + lane] += v * v;
    }
    double a0 = lanes[base];
    double a1 = lanes[base + 1];
    double a2 = lanes[base + 2];
    double a3 = lanes[base + 3];
    double a4 = lanes[base + 4];
    double a5 = lanes[base + 5];
    double a6 = lanes[base + 6];
    double a7 = lanes[base + 7];
    for (; i + LANES <= count; i += LANES) {
      float v0 = values[i];
      float v1 = values[i + 1];
      float v2 = values[i + 2];
      float v3 = values[i + 3];
      float v4 = values[i + 4];
      float v5 = values[i + 5];
      float v6 = values[i + 6];
      float v7 = values[i + 7];
      a0 += v0 * v0;
      a1 += v1 * v1;
      a2 += v2 * v2;
      a3 += v3 * v3;
      a4 += v4 * v4;
      a5 += v5 * v5;
      a6 += v6 * v6;
      a7 += v7 * v7;
    }
    lanes[base] = a0;
    lanes[base + 1] = a1;
    lanes[base + 2] = a2;
    lanes[base + 3] = a3;
    lanes[base + 4] = a4;
    lanes[base + 5] = a5;
    lanes[base + 6] = a6;
    lanes[base + 7] = a7;
    for (lane = 0; i < count; i++, lane++) {
      float v = values[i];
      lanes[base + lane] += v * v;
    }
  }

  /** The slot's sum: its lanes added in lane order. */
  double total(int slot) {
    double sum = 0;
    for (int k = 0; k < LANES; k++) {
      sum += lanes[slot * LANES + k];
    }
    return sum;
  }
}
