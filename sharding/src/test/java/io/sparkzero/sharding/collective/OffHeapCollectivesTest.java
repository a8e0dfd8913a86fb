package io.sparkzero.sharding.collective;

import static io.sparkzero.sharding.collective.CollectivesParityTest.integers;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkzero.sharding.collective.TestBlocks.Held;
import io.sparkzero.sharding.collective.TestBlocks.Memory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The four float collectives on native memory (direct buffers between guard floats), for 1 to 3
 * ranks as threads over shared memory and UDP loopback, against a sequential reference; and ranks
 * that mix heap and native blocks in one operation. Small-integer inputs keep sums exact, and
 * 256-byte chunks make even short regions travel as many messages.
 */
class OffHeapCollectivesTest {
  private static final long TOKEN = 0x5EED_0003L;
  private static Path dir;
  private static AeronRuntime runtime;

  @BeforeAll
  static void startDriver() {
    dir = TestAeron.freshDir();
    runtime = TestAeron.startRuntime(dir);
  }

  @AfterAll
  static void stopDriver() throws Exception {
    runtime.close();
    Files.deleteIfExists(EmbeddedDriver.lockFile(dir));
  }

  static Stream<Arguments> worlds() {
    List<Arguments> worlds = new ArrayList<>();
    for (Transport transport : List.of(Transport.IPC, Transport.UDP)) {
      for (int n = 1; n <= 3; n++) {
        worlds.add(Arguments.of(n, transport));
      }
    }
    return worlds.stream();
  }

  @ParameterizedTest(name = "{0} ranks over {1}")
  @MethodSource("worlds")
  void allReduceSumsNativeRegionsOfOddAndTinyLengths(int n, Transport transport) throws Exception {
    int pad = 5;
    int[] lengths = {0, 1, n - 1, 3, 1001, 30_011};
    List<List<float[]>> results = onEveryRank(n, transport, c -> {
      List<float[]> out = new ArrayList<>();
      for (int i = 0; i < lengths.length; i++) {
        Held held = TestBlocks.hold(Memory.NATIVE, integers(c.rank(), pad + lengths[i] + pad, i));
        c.allReduceSum(held.block, pad, lengths[i]);
        out.add(held.values("rank " + c.rank() + ", length " + lengths[i]));
      }
      return out;
    });
    for (int i = 0; i < lengths.length; i++) {
      float[] sum = sumOverRanks(n, pad + lengths[i] + pad, i);
      for (int r = 0; r < n; r++) {
        float[] expected = integers(r, sum.length, i);
        System.arraycopy(sum, pad, expected, pad, lengths[i]);
        FloatArrays.assertEqual(results.get(r).get(i), expected, "rank " + r + ", length "
            + lengths[i] + " (sum inside the region, own values in the padding)");
      }
    }
  }

  @ParameterizedTest(name = "{0} ranks over {1}")
  @MethodSource("worlds")
  void reduceScatterLeavesEachNativeSegmentTheSum(int n, Transport transport) throws Exception {
    for (int[] bounds : boundsCases(n)) {
      int size = bounds[n] + 2;
      List<float[]> results = onEveryRank(n, transport, c -> {
        Held held = TestBlocks.hold(Memory.NATIVE, integers(c.rank(), size, 7));
        c.reduceScatterSum(held.block, bounds);
        return held.values("rank " + c.rank());
      });
      float[] sum = sumOverRanks(n, size, 7);
      for (int r = 0; r < n; r++) {
        FloatArrays.assertEqual(results.get(r), bounds[r], bounds[r + 1], sum,
            "rank " + r + " of segment sizes " + sizes(bounds));
      }
    }
  }

  @ParameterizedTest(name = "{0} ranks over {1}")
  @MethodSource("worlds")
  void allGatherFillsEveryNativeSegment(int n, Transport transport) throws Exception {
    for (int[] bounds : boundsCases(n)) {
      int size = bounds[n] + 2;
      List<float[]> results = onEveryRank(n, transport, c -> {
        Held held = TestBlocks.hold(Memory.NATIVE, ownSegment(c.rank(), size, bounds));
        c.allGather(held.block, bounds);
        return held.values("rank " + c.rank());
      });
      float[] expected = gathered(n, size, bounds);
      for (int r = 0; r < n; r++) {
        FloatArrays.assertEqual(results.get(r), expected,
            "rank " + r + " of segment sizes " + sizes(bounds));
      }
    }
  }

  @ParameterizedTest(name = "{0} ranks over {1}")
  @MethodSource("worlds")
  void broadcastCopiesTheRootsNativeRegionFromEveryRoot(int n, Transport transport)
      throws Exception {
    for (int length : new int[] {1, 1001}) {
      List<float[][]> results = onEveryRank(n, transport, c -> {
        float[][] out = new float[n][];
        for (int root = 0; root < n; root++) {
          Held held = TestBlocks.hold(Memory.NATIVE, integers(c.rank(), length + 2, root));
          c.broadcast(held.block, 1, length, root);
          out[root] = held.values("rank " + c.rank() + ", root " + root);
        }
        return out;
      });
      for (int root = 0; root < n; root++) {
        for (int r = 0; r < n; r++) {
          float[] expected = integers(r, length + 2, root);
          System.arraycopy(integers(root, length + 2, root), 1, expected, 1, length);
          FloatArrays.assertEqual(results.get(r)[root], expected,
              "length " + length + ", root " + root + ", rank " + r);
        }
      }
    }
  }

  /** Rank 0 works on a heap array, rank 1 on native memory: each operation in turn. */
  @ParameterizedTest
  @EnumSource(value = Transport.class, names = {"IPC", "UDP"})
  void heapAndNativeRanksMixInEveryOperation(Transport transport) throws Exception {
    int n = 2;
    int size = 3001;
    int[] bounds = {0, 1400, size};
    IntFunction<Memory> memory = rank -> rank == 0 ? Memory.HEAP : Memory.NATIVE;
    List<float[][]> results = onEveryRank(n, transport, c -> {
      Memory mine = memory.apply(c.rank());
      Held reduced = TestBlocks.hold(mine, integers(c.rank(), size, 1));
      c.allReduceSum(reduced.block, 0, size);
      Held scattered = TestBlocks.hold(mine, integers(c.rank(), size, 2));
      c.reduceScatterSum(scattered.block, bounds);
      Held gathered = TestBlocks.hold(mine, ownSegment(c.rank(), size, bounds));
      c.allGather(gathered.block, bounds);
      Held broadcast = TestBlocks.hold(mine, integers(c.rank(), size, 3));
      c.broadcast(broadcast.block, 0, size, 1);
      return new float[][] {reduced.values("all-reduce"), scattered.values("reduce-scatter"),
          gathered.values("all-gather"), broadcast.values("broadcast")};
    });
    for (int r = 0; r < n; r++) {
      String rank = "rank " + r + " (" + memory.apply(r) + ")";
      FloatArrays.assertEqual(results.get(r)[0], sumOverRanks(n, size, 1), rank + " all-reduce");
      FloatArrays.assertEqual(results.get(r)[1], bounds[r], bounds[r + 1], sumOverRanks(n, size, 2),
          rank + " reduce-scatter");
      FloatArrays.assertEqual(results.get(r)[2], gathered(n, size, bounds), rank + " all-gather");
      FloatArrays.assertEqual(results.get(r)[3], integers(1, size, 3), rank + " broadcast");
    }
  }

  @Test
  void regionsOutsideANativeBlockAreRefusedBeforeAnythingIsSent() throws Exception {
    onEveryRank(1, Transport.IPC, c -> {
      FloatBlock block = TestBlocks.hold(Memory.NATIVE, new float[10]).block;
      assertThatThrownBy(() -> c.allReduceSum(block, 8, 3))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("region [8, 11) does not fit native memory of 10 floats");
      assertThatThrownBy(() -> c.allGather(block, new int[] {0, 11}))
          .hasMessageContaining("bounds [0, 11) do not fit native memory of 10 floats");
      return null;
    });
  }

  /** Bounds where some segments are empty or shorter than the world, and uneven larger ones. */
  private static List<int[]> boundsCases(int n) {
    int[] uneven = new int[n + 1];
    uneven[0] = 3;
    for (int r = 0; r < n; r++) {
      uneven[r + 1] = uneven[r] + 97 * (r + 1) * (r + 1) + r;
    }
    return List.of(Collectives.evenBounds(1, n - 1, n), Collectives.evenBounds(2, n + 1, n),
        uneven);
  }

  private static String sizes(int[] bounds) {
    StringBuilder out = new StringBuilder();
    for (int i = 1; i < bounds.length; i++) {
      out.append(i > 1 ? "," : "").append(bounds[i] - bounds[i - 1]);
    }
    return out.toString();
  }

  private static float[] sumOverRanks(int n, int size, int salt) {
    float[] sum = new float[size];
    for (int r = 0; r < n; r++) {
      float[] add = integers(r, size, salt);
      for (int i = 0; i < size; i++) {
        sum[i] += add[i];
      }
    }
    return sum;
  }

  /** Zeros except rank {@code rank}'s segment, which holds its inputs. */
  private static float[] ownSegment(int rank, int size, int[] bounds) {
    float[] data = new float[size];
    System.arraycopy(integers(rank, size, 9), bounds[rank], data, bounds[rank],
        bounds[rank + 1] - bounds[rank]);
    return data;
  }

  private static float[] gathered(int n, int size, int[] bounds) {
    float[] all = new float[size];
    for (int r = 0; r < n; r++) {
      System.arraycopy(integers(r, size, 9), bounds[r], all, bounds[r], bounds[r + 1] - bounds[r]);
    }
    return all;
  }

  private <T> List<T> onEveryRank(int n, Transport transport, RankBody<T> body) throws Exception {
    CollectiveOptions options = TestAeron.smallStreams(TOKEN, dir, transport).build();
    return RankThreads.run(n, rendezvous -> {
      try (Collectives c = AeronCollectives.create(rendezvous, options, runtime)) {
        return body.run(c);
      }
    });
  }

  private interface RankBody<T> {
    T run(Collectives collectives) throws Exception;
  }
}
