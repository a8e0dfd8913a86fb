package io.sparkzero.sharding.collective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Parity of every collective with a sequential reference, for 1 to 4 ranks as threads of one JVM,
 * over shared memory and over UDP loopback, with 256-byte chunks so that even short arrays travel
 * as many messages. Inputs are small integers wherever the order of float additions could differ
 * from the reference, so sums are exact and compared for equality.
 */
class CollectivesParityTest {
  private static final long TOKEN = 0x5EED_0001L;
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
      for (int n = 1; n <= 4; n++) {
        worlds.add(Arguments.of(n, transport));
      }
    }
    return worlds.stream();
  }

  @ParameterizedTest(name = "{0} ranks over {1}")
  @MethodSource("worlds")
  void allReduceSumsOddAndTinyLengthsExactly(int n, Transport transport) throws Exception {
    int[] lengths = {0, 1, 3, Math.max(1, n - 1), 1001, 100_003};
    int pad = 5;
    List<float[][]> results = onEveryRank(n, transport, c -> {
      float[][] out = new float[lengths.length][];
      for (int i = 0; i < lengths.length; i++) {
        out[i] = integers(c.rank(), pad + lengths[i] + pad, i);
        c.allReduceSum(out[i], pad, lengths[i]);
      }
      return out;
    });
    for (int i = 0; i < lengths.length; i++) {
      float[] expected = integers(0, pad + lengths[i] + pad, i);
      for (int r = 1; r < n; r++) {
        addInto(expected, integers(r, expected.length, i), pad, pad + lengths[i]);
      }
      for (int r = 0; r < n; r++) {
        float[] got = results.get(r)[i];
        float[] own = integers(r, got.length, i);
        System.arraycopy(expected, pad, own, pad, lengths[i]);
        FloatArrays.assertEqual(got, own, "rank " + r + ", length " + lengths[i]
            + " (sum inside the region, own values in the padding)");
      }
    }
  }

  /**
   * Random floats: the ring adds in another order than the reference, so the result is compared to
   * a double-precision sum with the bound of recursive float summation, {@code (N-1) u sum|x|} with
   * {@code u = 2^-24}, doubled for the final rounding to float.
   */
  @ParameterizedTest(name = "{0} ranks over {1}")
  @MethodSource("worlds")
  void allReduceSumOfRandomFloatsIsWithinRoundingOfADoubleSum(int n, Transport transport)
      throws Exception {
    int length = 30_011;
    List<float[]> results = onEveryRank(n, transport, c -> {
      float[] data = randoms(c.rank(), length);
      c.allReduceSum(data, 0, length);
      return data;
    });
    float[][] inputs = new float[n][];
    for (int r = 0; r < n; r++) {
      inputs[r] = randoms(r, length);
    }
    for (int i = 0; i < length; i++) {
      double sum = 0;
      double magnitude = 0;
      for (int r = 0; r < n; r++) {
        sum += inputs[r][i];
        magnitude += Math.abs(inputs[r][i]);
      }
      double tolerance = 2 * Math.max(1, n - 1) * Math.ulp(1.0f) / 2 * magnitude;
      for (int r = 0; r < n; r++) {
        double error = Math.abs(results.get(r)[i] - sum);
        if (error > tolerance) {
          fail("rank " + r + " element " + i + ": got " + results.get(r)[i] + ", double sum "
              + sum + ", error " + error + " > tolerance " + tolerance);
        }
      }
    }
  }

  @ParameterizedTest(name = "{0} ranks over {1}")
  @MethodSource("worlds")
  void reduceScatterLeavesEachRankTheSumOfItsUnevenSegment(int n, Transport transport)
      throws Exception {
    int[] bounds = unevenBounds(n, 3);
    int size = bounds[n] + 4;
    List<float[]> results = onEveryRank(n, transport, c -> {
      float[] data = integers(c.rank(), size, 7);
      c.reduceScatterSum(data, bounds);
      return data;
    });
    float[] expected = integers(0, size, 7);
    for (int r = 1; r < n; r++) {
      addInto(expected, integers(r, size, 7), 0, size);
    }
    for (int r = 0; r < n; r++) {
      FloatArrays.assertEqual(results.get(r), bounds[r], bounds[r + 1], expected, "rank " + r);
    }
  }

  /**
   * An all-reduce over given segment bounds adds every element in the order a reduce-scatter over
   * the same bounds does: random floats, where another order would round differently, agree bit
   * for bit on every segment, and every rank ends with every segment's sum. The segments span
   * several 64 KiB buckets.
   */
  @ParameterizedTest(name = "{0} ranks over {1}")
  @MethodSource("worlds")
  void allReduceOverSegmentBoundsAddsInTheReduceScattersOrder(int n, Transport transport)
      throws Exception {
    int[] bounds = unevenBounds(n, 3);
    for (int r = 1; r <= n; r++) {
      bounds[r] = 3 + (bounds[r] - 3) * 29; // 2.8k to 45k floats a segment
    }
    int size = bounds[n] + 4;
    List<float[][]> results = onEveryRank(n, transport, c -> {
      float[] scattered = randoms(c.rank(), size);
      c.reduceScatterSum(scattered, bounds);
      float[] reduced = randoms(c.rank(), size);
      c.allReduceSum(FloatBlock.of(reduced), bounds);
      return new float[][] {scattered, reduced};
    });
    for (int r = 0; r < n; r++) {
      float[] reduced = results.get(r)[1];
      for (int owner = 0; owner < n; owner++) {
        FloatArrays.assertEqual(reduced, bounds[owner], bounds[owner + 1],
            results.get(owner)[0], "rank " + r + ", segment of rank " + owner);
      }
    }
    if (n > 2) {
      float[] naive = randoms(0, size);
      for (int r = 1; r < n; r++) {
        addInto(naive, randoms(r, size), 0, size);
      }
      int differing = 0;
      for (int i = bounds[0]; i < bounds[n]; i++) {
        differing += Float.floatToIntBits(naive[i])
            != Float.floatToIntBits(results.get(0)[1][i]) ? 1 : 0;
      }
      assertThat(differing).as("rank order rounds differently: the check can fail").isPositive();
    }
  }

  @ParameterizedTest(name = "{0} ranks over {1}")
  @MethodSource("worlds")
  void allGatherGivesEveryRankEverySegment(int n, Transport transport) throws Exception {
    int[] bounds = unevenBounds(n, 2);
    int size = bounds[n] + 3;
    List<float[]> results = onEveryRank(n, transport, c -> {
      float[] data = new float[size];
      float[] own = integers(c.rank(), size, 9);
      System.arraycopy(own, bounds[c.rank()], data, bounds[c.rank()],
          bounds[c.rank() + 1] - bounds[c.rank()]);
      c.allGather(data, bounds);
      return data;
    });
    float[] expected = new float[size];
    for (int r = 0; r < n; r++) {
      System.arraycopy(integers(r, size, 9), bounds[r], expected, bounds[r], bounds[r + 1] - bounds[r]);
    }
    for (int r = 0; r < n; r++) {
      FloatArrays.assertEqual(results.get(r), expected, "rank " + r);
    }
  }

  @ParameterizedTest(name = "{0} ranks over {1}")
  @MethodSource("worlds")
  void broadcastFromEveryRootCopiesTheRootsRegion(int n, Transport transport) throws Exception {
    int length = 1001;
    List<float[][]> results = onEveryRank(n, transport, c -> {
      float[][] out = new float[n][];
      for (int root = 0; root < n; root++) {
        out[root] = integers(c.rank(), length + 2, root);
        c.broadcast(out[root], 1, length, root);
      }
      return out;
    });
    for (int root = 0; root < n; root++) {
      for (int r = 0; r < n; r++) {
        float[] expected = integers(r, length + 2, root);
        System.arraycopy(integers(root, length + 2, root), 1, expected, 1, length);
        FloatArrays.assertEqual(results.get(r)[root], expected, "root " + root + ", rank " + r);
      }
    }
  }

  @ParameterizedTest(name = "{0} ranks over {1}")
  @MethodSource("worlds")
  void allGatherBytesReturnsEveryRanksMessageInRankOrder(int n, Transport transport)
      throws Exception {
    List<byte[][]> results = onEveryRank(n, transport, c -> c.allGatherBytes(message(c.rank())));
    for (int r = 0; r < n; r++) {
      for (int source = 0; source < n; source++) {
        assertThat(results.get(r)[source]).as("rank %d, message of %d", r, source)
            .containsExactly(message(source));
      }
    }
  }

  @ParameterizedTest(name = "{0} ranks over {1}")
  @MethodSource("worlds")
  void barrierReturnsOnlyAfterEveryRankEntered(int n, Transport transport) throws Exception {
    AtomicInteger entered = new AtomicInteger();
    List<Integer> seen = onEveryRank(n, transport, c -> {
      Thread.sleep(30L * c.rank());
      entered.incrementAndGet();
      c.barrier();
      return entered.get();
    });
    assertThat(seen).containsOnly(n);
  }

  @ParameterizedTest(name = "{0} ranks over {1}")
  @MethodSource("worlds")
  void mixedOperationsOnOneInstanceStayInStep(int n, Transport transport) throws Exception {
    List<float[]> results = onEveryRank(n, transport, c -> mixedOperations(c, n));
    for (int r = 1; r < n; r++) {
      FloatArrays.assertEqual(results.get(r), results.get(0), "rank " + r + " against rank 0");
    }
    assertThat(results.get(0)[0]).isEqualTo(expectedFirst(n));
  }

  /**
   * The same mixed sequence with every message tagged ({@code collective.authenticate}): the
   * results are the same, and no rank dropped a message for a wrong tag.
   */
  @ParameterizedTest(name = "{0} ranks over {1}")
  @MethodSource("worlds")
  void taggedMessagesGiveTheSameResults(int n, Transport transport) throws Exception {
    CollectiveOptions options = TestAeron.smallStreams(TOKEN, dir, transport)
        .authenticate(true).build();
    List<float[]> results = RankThreads.run(n, rendezvous -> {
      try (Collectives c = AeronCollectives.create(rendezvous, options, runtime)) {
        float[] data = mixedOperations(c, n);
        assertThat(c.stats().messagesDroppedBadMac()).isZero();
        return data;
      }
    });
    for (int r = 1; r < n; r++) {
      FloatArrays.assertEqual(results.get(r), results.get(0), "rank " + r + " against rank 0");
    }
    assertThat(results.get(0)[0]).isEqualTo(expectedFirst(n));
  }

  /** Three rounds of barrier, all-reduce, byte gather and broadcast; the rank's data after. */
  private static float[] mixedOperations(Collectives c, int n) {
    float[] data = integers(c.rank(), 777, 1);
    for (int round = 0; round < 3; round++) {
      c.barrier();
      c.allReduceSum(data, 0, data.length);
      c.allGatherBytes(message(c.rank()));
      c.broadcast(data, 10, 100, round % n);
    }
    return data;
  }

  /** Element 0 after three all-reduces: the sum over ranks, times n, times n again. */
  private static float expectedFirst(int n) {
    float sum = 0;
    for (int r = 0; r < n; r++) {
      sum += integers(r, 777, 1)[0];
    }
    return sum * n * n;
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

  /** Small integers, distinct per rank, index and case: exact under float addition. */
  static float[] integers(int rank, int size, int salt) {
    float[] data = new float[size];
    for (int i = 0; i < size; i++) {
      data[i] = ((rank + 1) * 31 + i * 7 + salt * 13) % 97 - 48;
    }
    return data;
  }

  private static float[] randoms(int rank, int size) {
    Random random = new Random(1000 + rank);
    float[] data = new float[size];
    for (int i = 0; i < size; i++) {
      data[i] = (float) (random.nextGaussian() * Math.exp(random.nextInt(8)));
    }
    return data;
  }

  private static void addInto(float[] sum, float[] add, int from, int to) {
    for (int i = from; i < to; i++) {
      sum[i] += add[i];
    }
  }

  /** Segments of differing sizes starting at {@code start}, rank 1's empty when there are 3+ ranks. */
  private static int[] unevenBounds(int n, int start) {
    int[] bounds = new int[n + 1];
    bounds[0] = start;
    for (int r = 0; r < n; r++) {
      int size = (n >= 3 && r == 1) ? 0 : 97 * (r + 1) * (r + 1) + r;
      bounds[r + 1] = bounds[r] + size;
    }
    return bounds;
  }

  /** Rank r's message: r * 300 bytes (more than one 256-byte chunk from rank 1 on; empty for 0). */
  private static byte[] message(int rank) {
    byte[] bytes = new byte[rank * 300];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (rank * 17 + i);
    }
    return bytes;
  }
}
