package io.sparkzero.sharding.collective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.sparkzero.sharding.collective.TestBlocks.Held;
import io.sparkzero.sharding.collective.TestBlocks.Memory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reduce-scatter, all-gather and all-reduce over the 16-bit wires, for 2 to 4 ranks as threads
 * over shared memory (one case over UDP loopback), on heap and native blocks, with 256-byte
 * chunks (128 elements) and segments that are long, odd, a single element or empty, starting at
 * offset 5.
 *
 * <p>Three checks of each result. Bits: every rank ends an all-reduce or all-gather with the same
 * bits, each a value the wire can carry. Order: the result is that of a sequential model of the
 * ring, which adds each segment's values in the fp32 reduce-scatter's order, rounding the partial
 * sum to the wire before each hop. Error, against the exact (double) sum, independent of the
 * model: a segment's partial sum is rounded to the wire ({@code u} = 2^-8 for bf16, 2^-11 for
 * fp16) when each of the {@code N-1} ranks before its owner sends it, and rounded to fp32 ({@code
 * e} = 2^-24) by each of the {@code N-1} additions, so the reduce-scatter's error is within {@code
 * ((1+u)^(N-1) (1+e)^(N-1) - 1) sum|x_i|} (the bound of recursive summation with {@code 2(N-1)}
 * rounded operations, to first order {@code (N-1)(u+e) sum|x_i|}); the all-reduce adds the owner's
 * rounding of its sum to the wire, at most {@code u} times that sum. Those bounds hold while
 * partial sums stay normal numbers of the wire, so fp16 inputs are positive and at most 2^10,
 * and sums of four stay below fp16's largest; overflow has a test of its own.
 */
class WireCollectivesTest {
  private static final long TOKEN = 0x5EED_0016L;
  private static final int START = 5;
  private static final int PAD = 3;
  private static final double FP32_UNIT = Math.scalb(1.0, -24);
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
    for (Wire wire : List.of(Wire.BF16, Wire.FP16)) {
      for (int n = 2; n <= 4; n++) {
        for (Memory memory : Memory.values()) {
          worlds.add(Arguments.of(n, memory, wire));
        }
      }
    }
    return worlds.stream();
  }

  @ParameterizedTest(name = "{0} ranks, {1}, {2}")
  @MethodSource("worlds")
  void allReduceLeavesEveryRankTheSameBitsWithinTheBound(int n, Memory memory, Wire wire)
      throws Exception {
    checkAllReduce(n, memory, wire, Transport.IPC);
  }

  @Test
  void allReduceOverUdpIsTheSame() throws Exception {
    checkAllReduce(3, Memory.HEAP, Wire.BF16, Transport.UDP);
  }

  private void checkAllReduce(int n, Memory memory, Wire wire, Transport transport)
      throws Exception {
    int[] bounds = bounds(n);
    float[][] inputs = inputs(n, wire);
    List<float[]> results = onEveryRank(n, transport, c -> {
      Held held = TestBlocks.hold(memory, inputs[c.rank()]);
      c.allReduceSum(held.block, bounds, wire);
      return held.values("rank " + c.rank());
    });
    float[] model = ringModel(inputs, bounds, wire);
    for (int r = 0; r < n; r++) {
      float[] got = results.get(r);
      for (int i = 0; i < got.length; i++) {
        boolean inside = i >= bounds[0] && i < bounds[n];
        float expected = inside ? HalfFloats.round(model[i], wire) : inputs[r][i];
        assertSameBits(got[i], expected, "rank " + r + " element " + i
            + (inside ? " (the model's sum, rounded to the wire)" : " (padding, untouched)"));
      }
      FloatArrays.assertEqual(got, bounds[0], bounds[n], results.get(0),
          "rank " + r + " against rank 0");
    }
    checkError(results.get(0), inputs, bounds, wire, true);
  }

  @ParameterizedTest(name = "{0} ranks, {1}, {2}")
  @MethodSource("worlds")
  void reduceScatterLeavesEachOwnerAnFp32SumWithinTheBound(int n, Memory memory, Wire wire)
      throws Exception {
    int[] bounds = bounds(n);
    float[][] inputs = inputs(n, wire);
    List<float[]> results = onEveryRank(n, Transport.IPC, c -> {
      Held held = TestBlocks.hold(memory, inputs[c.rank()]);
      c.reduceScatterSum(held.block, bounds, wire);
      return held.values("rank " + c.rank());
    });
    float[] model = ringModel(inputs, bounds, wire);
    float[] owned = new float[model.length];
    int notOnTheWire = 0;
    for (int r = 0; r < n; r++) {
      for (int i = bounds[r]; i < bounds[r + 1]; i++) {
        owned[i] = results.get(r)[i];
        assertSameBits(owned[i], model[i], "rank " + r + "'s element " + i);
        notOnTheWire += HalfFloats.round(owned[i], wire) != owned[i] ? 1 : 0;
      }
    }
    assertThat(notOnTheWire).as("owners keep fp32 sums, not rounded to the wire").isPositive();
    checkError(owned, inputs, bounds, wire, false);
  }

  @ParameterizedTest(name = "{0} ranks, {1}, {2}")
  @MethodSource("worlds")
  void allGatherLeavesEveryRankTheOwnersValuesRoundedToTheWire(int n, Memory memory, Wire wire)
      throws Exception {
    int[] bounds = bounds(n);
    float[][] inputs = inputs(n, Wire.BF16); // any floats: gathering adds nothing
    List<float[]> results = onEveryRank(n, Transport.IPC, c -> {
      float[] mine = new float[inputs[0].length];
      int lo = bounds[c.rank()];
      System.arraycopy(inputs[c.rank()], lo, mine, lo, bounds[c.rank() + 1] - lo);
      Held held = TestBlocks.hold(memory, mine);
      c.allGather(held.block, bounds, wire);
      return held.values("rank " + c.rank());
    });
    for (int r = 0; r < n; r++) {
      for (int owner = 0; owner < n; owner++) {
        for (int i = bounds[owner]; i < bounds[owner + 1]; i++) {
          assertSameBits(results.get(r)[i], HalfFloats.round(inputs[owner][i], wire),
              "rank " + r + ", element " + i + " of rank " + owner);
        }
      }
    }
  }

  /**
   * FP32 through the wire overloads is the old path: the same bits and the same bytes for each
   * operation, on random floats where any other order of addition would round differently. The
   * ring model without rounding gives the reduce-scatter's bits: the model's order is the ring's.
   */
  @ParameterizedTest(name = "{0} ranks")
  @MethodSource("ranks")
  void fp32ThroughTheWireOverloadsIsTheOldPathBitForBit(int n) throws Exception {
    int[] bounds = bounds(n);
    float[][] inputs = inputs(n, Wire.BF16);
    List<float[][]> results = onEveryRank(n, Transport.IPC, c -> {
      float[][] out = new float[6][];
      out[0] = inputs[c.rank()].clone();
      c.reduceScatterSum(FloatBlock.of(out[0]), bounds);
      CollectiveStats old = c.stats();
      out[1] = inputs[c.rank()].clone();
      c.reduceScatterSum(FloatBlock.of(out[1]), bounds, Wire.FP32);
      CollectiveStats both = c.stats();
      assertThat(both.bytesReceived() - old.bytesReceived()).isEqualTo(old.bytesReceived());
      assertThat(both.bytesSent() - old.bytesSent()).isEqualTo(old.bytesSent());
      out[2] = inputs[c.rank()].clone();
      c.allGather(FloatBlock.of(out[2]), bounds);
      out[3] = inputs[c.rank()].clone();
      c.allGather(FloatBlock.of(out[3]), bounds, Wire.FP32);
      out[4] = inputs[c.rank()].clone();
      c.allReduceSum(FloatBlock.of(out[4]), bounds);
      out[5] = inputs[c.rank()].clone();
      c.allReduceSum(FloatBlock.of(out[5]), bounds, Wire.FP32);
      return out;
    });
    float[] model = ringModel(inputs, bounds, Wire.FP32);
    for (int r = 0; r < n; r++) {
      float[][] out = results.get(r);
      FloatArrays.assertEqual(out[1], out[0], "rank " + r + " reduce-scatter");
      FloatArrays.assertEqual(out[3], out[2], "rank " + r + " all-gather");
      FloatArrays.assertEqual(out[5], out[4], "rank " + r + " all-reduce");
      FloatArrays.assertEqual(out[0], bounds[r], bounds[r + 1], model, "rank " + r + " model");
    }
  }

  static Stream<Integer> ranks() {
    return Stream.of(2, 3, 4);
  }

  /** The same all-reduce receives and sends exactly half the bytes over a 16-bit wire. */
  @ParameterizedTest(name = "{0} ranks, {1}")
  @MethodSource("wiresAndRanks")
  void aSixteenBitAllReduceMovesHalfTheBytes(int n, Wire wire) throws Exception {
    int[] bounds = bounds(n);
    float[][] inputs = inputs(n, Wire.FP16);
    List<long[]> bytes = onEveryRank(n, Transport.IPC, c -> {
      c.allReduceSum(FloatBlock.of(inputs[c.rank()].clone()), bounds, Wire.FP32);
      CollectiveStats fp32 = c.stats();
      c.allReduceSum(FloatBlock.of(inputs[c.rank()].clone()), bounds, wire);
      CollectiveStats both = c.stats();
      return new long[] {fp32.bytesReceived(), both.bytesReceived() - fp32.bytesReceived(),
          fp32.bytesSent(), both.bytesSent() - fp32.bytesSent()};
    });
    for (int r = 0; r < n; r++) {
      long[] b = bytes.get(r);
      assertThat(b[0]).as("rank %d received over fp32", r).isPositive();
      assertThat(2 * b[1]).as("rank %d received over %s, twice", r, wire).isEqualTo(b[0]);
      assertThat(2 * b[3]).as("rank %d sent over %s, twice", r, wire).isEqualTo(b[2]);
    }
  }

  static Stream<Arguments> wiresAndRanks() {
    return Stream.of(Wire.BF16, Wire.FP16).flatMap(wire -> ranks().map(n -> Arguments.of(n, wire)));
  }

  /**
   * Sums that reach 65520 are infinite in fp16, which a training step then treats as a
   * non-finite gradient: on two ranks the all-reduce's final rounding overflows, on three the
   * partial sum that is sent overflows and the owner adds to infinity. bf16 has fp32's range.
   */
  @Test
  void fp16OverflowBecomesInfiniteWhereBf16StaysFinite() throws Exception {
    float[] big = {40_960f, -40_960f, 1f}; // 40960 and 81920 are fp16 and bf16 values
    int[] two = {0, 2, 3};
    List<float[][]> reduced = onEveryRank(2, Transport.IPC, c -> {
      float[] fp16 = big.clone();
      c.allReduceSum(FloatBlock.of(fp16), two, Wire.FP16);
      float[] bf16 = big.clone();
      c.allReduceSum(FloatBlock.of(bf16), two, Wire.BF16);
      return new float[][] {fp16, bf16};
    });
    for (float[][] rank : reduced) {
      assertThat(rank[0]).containsExactly(Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 2f);
      assertThat(rank[1]).containsExactly(81_920f, -81_920f, 2f);
    }
    int[] three = {0, 1, 2, 3};
    List<float[]> scattered = onEveryRank(3, Transport.IPC, c -> {
      float[] data = big.clone();
      c.reduceScatterSum(FloatBlock.of(data), three, Wire.FP16);
      return data;
    });
    assertThat(scattered.get(0)[0]).isEqualTo(Float.POSITIVE_INFINITY);
    assertThat(scattered.get(1)[1]).isEqualTo(Float.NEGATIVE_INFINITY);
    assertThat(scattered.get(2)[2]).isEqualTo(3f);
  }

  /**
   * Ranks that call the same operation over different wires read each other's messages as out of
   * place and fail at once, naming both wires, rather than reading one format as the other; bf16
   * against fp16 included, though both have 2-byte elements.
   */
  @ParameterizedTest
  @EnumSource(value = Wire.class, names = {"FP32", "FP16"})
  void ranksOnDifferentWiresFailNamingBoth(Wire other) throws Exception {
    CollectiveOptions options = TestAeron.smallStreams(TOKEN, dir, Transport.IPC)
        .timeoutMs(5_000).build();
    int[] bounds = bounds(2);
    List<String> failures = RankThreads.run(2, rendezvous -> {
      try (Collectives c = AeronCollectives.create(rendezvous, options, runtime)) {
        Wire mine = c.rank() == 0 ? Wire.BF16 : other;
        c.allReduceSum(FloatBlock.of(new float[bounds[2]]), bounds, mine);
        return "no failure";
      } catch (RuntimeException e) {
        return e.getClass().getSimpleName() + ": " + e.getMessage();
      }
    });
    String expectedOnRank0 =
        other == Wire.FP32 ? " floats (operation" : " fp16 elements (operation";
    assertThat(failures.get(0)).startsWith("IllegalStateException: rank 1 sent ")
        .contains(expectedOnRank0)
        .contains(" in bf16; every rank must call the same collectives in the same order with the"
            + " same lengths and wire");
    assertThat(failures.get(1)).startsWith("IllegalStateException: rank 0 sent ")
        .contains(" bf16 elements (operation");
  }

  /** A world of one rank rounds as an owner would, so results do not depend on the world size. */
  @ParameterizedTest
  @EnumSource(value = Wire.class, names = {"BF16", "FP16"})
  void aRankAloneEndsWithTheValuesTheWireCarries(Wire wire) throws Exception {
    float[] input = inputs(1, Wire.BF16)[0];
    int[] bounds = {START, input.length - PAD};
    List<float[][]> results = onEveryRank(1, Transport.IPC, c -> {
      float[] scattered = input.clone();
      c.reduceScatterSum(FloatBlock.of(scattered), bounds, wire);
      float[] gathered = input.clone();
      c.allGather(FloatBlock.of(gathered), bounds, wire);
      float[] reduced = input.clone();
      c.allReduceSum(FloatBlock.of(reduced), bounds, wire);
      return new float[][] {scattered, gathered, reduced};
    });
    float[] rounded = input.clone();
    for (int i = bounds[0]; i < bounds[1]; i++) {
      rounded[i] = HalfFloats.round(input[i], wire);
    }
    FloatArrays.assertEqual(results.get(0)[0], input, "reduce-scatter: the fp32 sum, unrounded");
    FloatArrays.assertEqual(results.get(0)[1], rounded, "all-gather");
    FloatArrays.assertEqual(results.get(0)[2], rounded, "all-reduce");
  }

  /**
   * The sequential model: segment {@code r}'s partial sum starts as rank {@code r+1}'s value and
   * passes ranks {@code r+2, ..., r}, each adding its own value in fp32 to the partial sum it
   * received, which was rounded to the wire when sent. The last addition, the owner's, is not
   * rounded to the wire.
   */
  private static float[] ringModel(float[][] inputs, int[] bounds, Wire wire) {
    int n = inputs.length;
    float[] sum = new float[inputs[0].length];
    for (int owner = 0; owner < n; owner++) {
      for (int i = bounds[owner]; i < bounds[owner + 1]; i++) {
        float partial = inputs[(owner + 1) % n][i];
        for (int hop = 2; hop <= n; hop++) {
          partial = inputs[(owner + hop) % n][i] + HalfFloats.round(partial, wire);
        }
        sum[i] = partial;
      }
    }
    return sum;
  }

  /** Checks {@code got[bounds[0], bounds[n])} against the exact sums with the stated bound. */
  private static void checkError(
      float[] got, float[][] inputs, int[] bounds, Wire wire, boolean roundedByOwner) {
    int n = inputs.length;
    double u = Math.scalb(1.0, wire == Wire.BF16 ? -8 : -11);
    double gamma = Math.pow(1 + u, n - 1) * Math.pow(1 + FP32_UNIT, n - 1) - 1;
    for (int i = bounds[0]; i < bounds[n]; i++) {
      double exact = 0;
      double magnitude = 0;
      for (float[] input : inputs) {
        exact += input[i];
        magnitude += Math.abs(input[i]);
      }
      double bound = gamma * magnitude;
      if (roundedByOwner) {
        bound += u * (Math.abs(exact) + bound);
      }
      double error = Math.abs(got[i] - exact);
      if (!(error <= bound)) {
        fail(wire + " on " + n + " ranks, element " + i + ": got " + got[i] + ", exact sum "
            + exact + ", error " + error + " > bound " + bound + " (sum|x| " + magnitude + ")");
      }
    }
  }

  /**
   * Segments from offset {@link #START}: several chunks, then (from 3 ranks) an empty one, then
   * (4 ranks) a single element, then an odd number of chunks and a bit; {@link #PAD} floats after.
   */
  private static int[] bounds(int n) {
    int[][] sizes = {{1203, 300}, {1203, 0, 2901}, {1203, 0, 1, 2901}};
    int[] bounds = new int[n + 1];
    bounds[0] = START;
    for (int r = 0; r < n; r++) {
      bounds[r + 1] = bounds[r] + sizes[n - 2][r];
    }
    return bounds;
  }

  /**
   * Each rank's floats, {@link #START} + segments + {@link #PAD} of them: for bf16 both signs and
   * magnitudes 2^-8 to 2^8; for fp16 positive, 2^-9 to 2^10, so that partial sums stay normal.
   */
  private static float[][] inputs(int n, Wire wire) {
    int size = bounds(Math.max(n, 2))[Math.max(n, 2)] + PAD;
    float[][] inputs = new float[n][size];
    for (int r = 0; r < n; r++) {
      Random random = new Random(31L * r + wire.ordinal());
      for (int i = 0; i < size; i++) {
        double scale = wire == Wire.BF16 ? Math.scalb(1.0, random.nextInt(16) - 8)
            : Math.scalb(1.0, random.nextInt(19) - 9);
        double sign = wire == Wire.BF16 && random.nextBoolean() ? -1 : 1;
        inputs[r][i] = (float) (sign * (1 + random.nextDouble()) * scale);
      }
    }
    return inputs;
  }

  private static void assertSameBits(float actual, float expected, String what) {
    if (Float.floatToRawIntBits(actual) != Float.floatToRawIntBits(expected)) {
      fail(what + ": got " + actual + " (" + Integer.toHexString(Float.floatToRawIntBits(actual))
          + "), expected " + expected + " ("
          + Integer.toHexString(Float.floatToRawIntBits(expected)) + ")");
    }
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
