package io.sparkzero.sharding.collective;

/**
 * What one rank sends to its right neighbour and receives from its left one at each ring step: a
 * pure function of rank, world size and segment bounds, identical on every rank.
 *
 * <p>Ring reduce-scatter: at step {@code s} rank {@code r} sends segment {@code r-s-1} and adds
 * the received segment {@code r-s-2} into its own, so after {@code N-1} steps segment {@code r} holds
 * the full sum. All-gather continues the same pattern, copying instead of adding: all-reduce is the
 * two back to back ({@code 2(N-1)} steps). The segment sent at step {@code s} is the one received at
 * step {@code s-1}, which is what lets chunks flow through the ring without waiting for whole steps.
 */
final class RingPlan {
  private final int[] sendLo;
  private final int[] sendHi;
  private final int[] recvLo;
  private final int[] recvHi;
  private final int reduceSteps;

  private RingPlan(int steps, int reduceSteps) {
    sendLo = new int[steps];
    sendHi = new int[steps];
    recvLo = new int[steps];
    recvHi = new int[steps];
    this.reduceSteps = reduceSteps;
  }

  /** Reduce-scatter then all-gather over {@code bounds}. */
  static RingPlan allReduce(int rank, int worldSize, int[] bounds) {
    return ring(rank, worldSize, bounds, 2 * (worldSize - 1), worldSize - 1, 1);
  }

  /**
   * Reduce-scatter then all-gather where segment {@code r} is {@code [lo[r], hi[r])}: the
   * segments need not touch, so a slice of every rank's segment can travel as one bucket.
   */
  static RingPlan allReduce(int rank, int worldSize, int[] lo, int[] hi) {
    return ring(rank, worldSize, lo, hi, 2 * (worldSize - 1), worldSize - 1, 1);
  }

  /** Rank {@code r} ends with the sum of segment {@code r}. */
  static RingPlan reduceScatter(int rank, int worldSize, int[] bounds) {
    return ring(rank, worldSize, bounds, worldSize - 1, worldSize - 1, 1);
  }

  /** {@link #reduceScatter(int, int, int[])} where segment {@code r} is {@code [lo[r], hi[r])}. */
  static RingPlan reduceScatter(int rank, int worldSize, int[] lo, int[] hi) {
    return ring(rank, worldSize, lo, hi, worldSize - 1, worldSize - 1, 1);
  }

  /** Every rank ends with every segment, each taken from its owner. */
  static RingPlan allGather(int rank, int worldSize, int[] bounds) {
    return ring(rank, worldSize, bounds, worldSize - 1, 0, 0);
  }

  /**
   * A chain from {@code root} around the ring: the rank {@code d} places after the root receives at
   * step {@code d-1} and forwards at step {@code d}; the root's left neighbour only receives.
   */
  static RingPlan broadcast(int rank, int worldSize, int root, int lo, int hi) {
    RingPlan plan = new RingPlan(worldSize - 1, 0);
    int distance = Math.floorMod(rank - root, worldSize);
    if (distance > 0) {
      plan.recvLo[distance - 1] = lo;
      plan.recvHi[distance - 1] = hi;
    }
    if (distance < worldSize - 1) {
      plan.sendLo[distance] = lo;
      plan.sendHi[distance] = hi;
    }
    return plan;
  }

  private static RingPlan ring(
      int rank, int worldSize, int[] bounds, int steps, int reduceSteps, int sendShift) {
    return ring(rank, worldSize, java.util.Arrays.copyOfRange(bounds, 0, worldSize),
        java.util.Arrays.copyOfRange(bounds, 1, worldSize + 1), steps, reduceSteps, sendShift);
  }

  private static RingPlan ring(int rank, int worldSize, int[] lo, int[] hi, int steps,
      int reduceSteps, int sendShift) {
    RingPlan plan = new RingPlan(steps, reduceSteps);
    for (int s = 0; s < steps; s++) {
      int send = Math.floorMod(rank - s - sendShift, worldSize);
      int recv = Math.floorMod(rank - s - sendShift - 1, worldSize);
      plan.sendLo[s] = lo[send];
      plan.sendHi[s] = hi[send];
      plan.recvLo[s] = lo[recv];
      plan.recvHi[s] = hi[recv];
    }
    return plan;
  }

  int steps() {
    return sendLo.length;
  }

  int sendLo(int step) {
    return sendLo[step];
  }

  int sendHi(int step) {
    return sendHi[step];
  }

  int recvLo(int step) {
    return recvLo[step];
  }

  int recvHi(int step) {
    return recvHi[step];
  }

  /** Whether data received at {@code step} is added (reduce) rather than copied (gather). */
  boolean reduces(int step) {
    return step < reduceSteps;
  }

  /**
   * Whether what this rank sends at {@code step} is data it did not receive in this plan, and that
   * its receivers copy: its own (finished) segment at the first gather step, or a broadcast root's
   * data. A 16-bit wire rounds that data in place as it sends it, so that sender and receivers end
   * with the same bits.
   */
  boolean sendsOwnCopiedData(int step) {
    return step == reduceSteps;
  }
}
