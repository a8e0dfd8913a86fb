package io.sparkzero.sharding.collective;

import java.util.Arrays;

/**
 * What each of the two processes of {@link TwoProcessCollectivesIT} does and checks: all-reduce,
 * reduce-scatter, all-gather, broadcast, byte gather and barrier, with exact integer inputs.
 */
final class TwoProcessScenario {
  static final int LENGTH = 100_003;

  private TwoProcessScenario() {}

  /** Options both processes use: 4 KiB chunks and 1 MiB terms over the given transport. */
  static CollectiveOptions options(long token, java.nio.file.Path aeronDir, Transport transport) {
    return TestAeron.smallStreams(token, aeronDir, transport).chunkBytes(4096).build();
  }

  /** Runs every collective once; throws {@link AssertionError} naming the first wrong result. */
  static void run(Collectives c) {
    int n = c.worldSize();
    float[] data = CollectivesParityTest.integers(c.rank(), LENGTH, 3);
    c.allReduceSum(data, 0, LENGTH);
    FloatArrays.assertEqual(data, sum(n, 3), "allReduceSum on rank " + c.rank());

    int[] bounds = Collectives.evenBounds(0, LENGTH, n);
    float[] scattered = CollectivesParityTest.integers(c.rank(), LENGTH, 4);
    c.reduceScatterSum(scattered, bounds);
    FloatArrays.assertEqual(scattered, bounds[c.rank()], bounds[c.rank() + 1], sum(n, 4),
        "reduceScatterSum on rank " + c.rank());
    c.allGather(scattered, bounds);
    FloatArrays.assertEqual(scattered, sum(n, 4), "allGather on rank " + c.rank());

    float[] root = CollectivesParityTest.integers(c.rank(), LENGTH, 5);
    c.broadcast(root, 0, LENGTH, n - 1);
    FloatArrays.assertEqual(root, CollectivesParityTest.integers(n - 1, LENGTH, 5),
        "broadcast on rank " + c.rank());

    byte[][] gathered = c.allGatherBytes(("rank " + c.rank()).getBytes());
    for (int r = 0; r < n; r++) {
      if (!Arrays.equals(gathered[r], ("rank " + r).getBytes())) {
        throw new AssertionError("allGatherBytes on rank " + c.rank() + ": element " + r + " is '"
            + new String(gathered[r]) + "'");
      }
    }
    c.barrier();
  }

  private static float[] sum(int n, int salt) {
    float[] sum = new float[LENGTH];
    for (int r = 0; r < n; r++) {
      float[] add = CollectivesParityTest.integers(r, LENGTH, salt);
      for (int i = 0; i < LENGTH; i++) {
        sum[i] += add[i];
      }
    }
    return sum;
  }
}
