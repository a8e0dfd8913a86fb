package io.sparkzero.sharding.collective;

import static io.sparkzero.sharding.collective.HalfBlockTest.assertSameBits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkzero.sharding.collective.TestBlocks.Held;
import io.sparkzero.sharding.collective.TestBlocks.HeldHalves;
import io.sparkzero.sharding.collective.TestBlocks.Memory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The collectives of {@link HalfBlock}s on {@link AeronCollectives}, for 1 to 4 ranks as threads
 * over shared memory, with 256-byte chunks (128 16-bit elements) so that segments travel as many
 * messages; segments start at offset {@link #START} and are long (an odd number of elements over
 * several chunks), empty or a single element; ranks mix heap and native blocks.
 *
 * <p>Every check is exact, bit for bit, because each result has an exact reference. The all-gather
 * moves 16-bit patterns as they are: every rank ends with each owner's bits (NaNs included), 2
 * bytes received for each element received, and nothing outside the segments touched. The
 * reduce-scatter of a half block promises the sums of the float reduce-scatter of the same data
 * widened to fp32, over the same wire: both run on the same ranks one after the other and are
 * compared, plus {@code previous + that} when adding into the result, at an offset, with the
 * block left unchanged and nothing else of the result touched. The interface's defaults, which go
 * through a temporary fp32 array, must give what the Aeron overrides give. Back pressure matters
 * here because a rank forwards a partial sum only when its onward message can be claimed: a case
 * with streams far smaller than the segments makes every step wait on its neighbours. Half and
 * float operations share one instance's operation counter, so a mixed sequence is checked too.
 */
class HalfCollectivesTest {
  private static final long TOKEN = 0x5EED_0017L;
  private static final int START = 5;
  private static final int PAD = 3;
  private static final int SUM_OFFSET = 7;
  private static final int SMALLEST_TERM = 64 * 1024;
  private static final List<Wire> WIRES = List.of(Wire.FP32, Wire.BF16, Wire.FP16);
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

  static Stream<Arguments> gathers() {
    return Stream.of(2, 3, 4).flatMap(n -> Stream.of(Wire.BF16, Wire.FP16)
        .map(format -> Arguments.of(n, format)));
  }

  @ParameterizedTest(name = "{0} ranks, {1}")
  @MethodSource("gathers")
  void allGatherGivesEveryRankEachOwnersBits(int n, Wire format) throws Exception {
    int[] bounds = bounds(n);
    short[][] inputs = patterns(n, bounds[n] + PAD, format.ordinal());
    List<Gathered> results = onEveryRank(n, options(), c -> {
      HeldHalves data = TestBlocks.holdHalves(memory(c.rank(), n), inputs[c.rank()], format);
      CollectiveStats before = c.stats();
      c.allGather(data.block, bounds);
      CollectiveStats after = c.stats();
      return new Gathered(data.bits("rank " + c.rank()),
          after.bytesReceived() - before.bytesReceived(), after.bytesSent() - before.bytesSent());
    });
    int total = bounds[n] - bounds[0];
    for (int r = 0; r < n; r++) {
      Gathered got = results.get(r);
      assertSameBits(got.bits, gathered(inputs, bounds, r), "rank " + r);
      assertThat(got.received).as("bytes rank %d received", r)
          .isEqualTo(2L * (total - length(bounds, r)));
      assertThat(got.sent).as("bytes rank %d sent", r)
          .isEqualTo(2L * (total - length(bounds, (r + 1) % n)));
    }
  }

  static Stream<Arguments> reductions() {
    return Stream.of(2, 3, 4).flatMap(n -> Stream.of(Wire.BF16, Wire.FP16)
        .flatMap(format -> WIRES.stream().map(wire -> Arguments.of(n, format, wire))));
  }

  @ParameterizedTest(name = "{0} ranks, {1} data, {2} wire")
  @MethodSource("reductions")
  void reduceScatterSumIsTheFloatOneOnTheWidenedDataBitForBit(int n, Wire format, Wire wire)
      throws Exception {
    int[] bounds = bounds(n);
    short[][] inputs = values(n, bounds[n] + PAD, format);
    List<Reduced> results = onEveryRank(n, options(), c -> {
      int r = c.rank();
      float[] prior = prior(length(bounds, r), r);
      Memory memory = memory(r, n + wire.ordinal());
      Memory other = memory(r + 1, n + wire.ordinal());
      float[] wide = widen(inputs[r], format);
      CollectiveStats start = c.stats();
      c.reduceScatterSum(FloatBlock.of(wide), bounds, wire);
      CollectiveStats floats = c.stats();
      HeldHalves data = TestBlocks.holdHalves(memory, inputs[r], format);
      Held written = TestBlocks.hold(other, prior);
      c.reduceScatterSum(data.block, bounds, wire, written.block, SUM_OFFSET, false);
      CollectiveStats halves = c.stats();
      Held added = TestBlocks.hold(other, prior);
      c.reduceScatterSum(data.block, bounds, wire, added.block, SUM_OFFSET, true);
      return new Reduced(wide, written.values("rank " + r + " sum"),
          added.values("rank " + r + " added sum"), data.bits("rank " + r + " data"),
          new long[] {floats.bytesReceived() - start.bytesReceived(),
              floats.bytesSent() - start.bytesSent()},
          new long[] {halves.bytesReceived() - floats.bytesReceived(),
              halves.bytesSent() - floats.bytesSent()});
    });
    for (int r = 0; r < n; r++) {
      Reduced got = results.get(r);
      String what = "rank " + r + ", " + format + " data over " + wire;
      float[] prior = prior(length(bounds, r), r);
      assertSameBits(got.written, placed(prior, got.reference, bounds[r], length(bounds, r), false),
          what + ": the sums against the float reduce-scatter's");
      assertSameBits(got.added, placed(prior, got.reference, bounds[r], length(bounds, r), true),
          what + ": previous + the sums");
      assertSameBits(got.data, inputs[r], what + ": the data afterwards");
      assertThat(got.halfBytes).as(what + ": bytes received and sent")
          .containsExactly(got.floatBytes);
      assertThat(got.floatBytes[0]).as(what + ": bytes received").isPositive();
    }
  }

  /**
   * The defaults of {@link Collectives} (through a temporary fp32 array) on an Aeron instance
   * whose half-block overrides are hidden give the overrides' bits, in worlds of 1 to 4 ranks.
   * The all-gather moves every pattern but signalling NaNs, which the default's rounding quiets
   * (as documented) where the override moves them as they are.
   */
  @ParameterizedTest(name = "{0} ranks")
  @ValueSource(ints = {1, 2, 3, 4})
  void theInterfaceDefaultsGiveTheOverridesBits(int n) throws Exception {
    int[] bounds = n == 1 ? new int[] {START, START + 1203} : bounds(n);
    Wire format = n % 2 == 0 ? Wire.BF16 : Wire.FP16;
    short[][] gatherInputs = quiet(patterns(n, bounds[n] + PAD, n), format);
    short[][] inputs = values(n, bounds[n] + PAD, format);
    List<List<Object>> results = onEveryRank(n, options(), c -> {
      int r = c.rank();
      Collectives defaults = new DefaultsOnly(c);
      List<Object> out = new ArrayList<>();
      for (Collectives way : List.of(c, defaults)) {
        HeldHalves gathered = TestBlocks.holdHalves(memory(r, way == c ? 0 : 1),
            gatherInputs[r], format);
        way.allGather(gathered.block, bounds);
        out.add(gathered.bits("rank " + r + " gathered"));
        HeldHalves data = TestBlocks.holdHalves(memory(r, way == c ? 1 : 0), inputs[r], format);
        for (Wire wire : WIRES) {
          for (boolean add : new boolean[] {false, true}) {
            Held sum = TestBlocks.hold(memory(r, way == c ? 0 : 1), prior(length(bounds, r), r));
            way.reduceScatterSum(data.block, bounds, wire, sum.block, SUM_OFFSET, add);
            out.add(sum.values("rank " + r + " sum"));
          }
        }
        out.add(data.bits("rank " + r + " data"));
      }
      return out;
    });
    for (int r = 0; r < n; r++) {
      List<Object> out = results.get(r);
      int half = out.size() / 2;
      assertSameBits((short[]) out.get(half), (short[]) out.get(0), "rank " + r + " all-gather");
      assertSameBits((short[]) out.get(0), gathered(gatherInputs, bounds, r),
          "rank " + r + " all-gather against the owners' bits");
      for (int i = 1; i < half - 1; i++) {
        Wire wire = WIRES.get((i - 1) / 2);
        assertSameBits((float[]) out.get(half + i), (float[]) out.get(i), "rank " + r + " "
            + wire + " reduce-scatter" + (i % 2 == 0 ? ", adding" : ""));
      }
      assertSameBits((short[]) out.get(half - 1), inputs[r], "rank " + r + " data, overrides");
      assertSameBits((short[]) out.get(out.size() - 1), inputs[r], "rank " + r + " data, defaults");
    }
  }

  static Stream<int[]> longSegments() {
    return Stream.of(new int[] {20_000, 21_001, 22_002}, new int[] {20_000, 21_001, 22_002, 23_003},
        new int[] {37_001, 0, 1, 50_003});
  }

  /**
   * Streams of the smallest term (64 KiB, so at most 32 KiB in flight, about a hundred 256-byte
   * chunks) and segments of tens of thousands of elements, each far more than a stream holds, and
   * (last case) of very different lengths: sends and forwards keep waiting for room on the next
   * stream. Several operations back to back on the same instances, each over another wire, all
   * bit for bit the float path's.
   */
  @ParameterizedTest(name = "segments {0}")
  @MethodSource("longSegments")
  void stepsThatMeetBackPressureStayExact(int[] sizes) throws Exception {
    int n = sizes.length;
    int[] bounds = new int[n + 1];
    bounds[0] = START;
    for (int r = 0; r < n; r++) {
      bounds[r + 1] = bounds[r] + sizes[r];
    }
    short[][] inputs = values(n, bounds[n] + PAD, Wire.BF16);
    CollectiveOptions options = TestAeron.smallStreams(TOKEN, dir, Transport.IPC)
        .termBytes(SMALLEST_TERM).build();
    List<List<float[]>> results = onEveryRank(n, options, c -> {
      int r = c.rank();
      HeldHalves data = TestBlocks.holdHalves(memory(r, 0), inputs[r], Wire.BF16);
      Held sum = TestBlocks.hold(memory(r, 1), prior(length(bounds, r), r));
      List<float[]> out = new ArrayList<>();
      for (Wire wire : List.of(Wire.BF16, Wire.FP32, Wire.FP16, Wire.BF16)) {
        c.reduceScatterSum(data.block, bounds, wire, sum.block, SUM_OFFSET, false);
        out.add(sum.values("rank " + r + " sum"));
        float[] wide = widen(inputs[r], Wire.BF16);
        c.reduceScatterSum(FloatBlock.of(wide), bounds, wire);
        out.add(wide);
      }
      assertSameBits(data.bits("rank " + r + " data"), inputs[r], "rank " + r + " data");
      out.add(new float[] {c.stats().backPressureRetries()});
      return out;
    });
    float retries = 0;
    for (int r = 0; r < n; r++) {
      List<float[]> out = results.get(r);
      for (int op = 0; op < 4; op++) {
        float[] expected = placed(prior(length(bounds, r), r), out.get(2 * op + 1), bounds[r],
            length(bounds, r), false);
        assertSameBits(out.get(2 * op), expected, "rank " + r + ", operation " + op);
      }
      retries += out.get(8)[0];
    }
    assertThat(retries).as("claims refused for back pressure").isPositive();
  }

  /**
   * Float and half operations one after another on the same instances: the operation counter
   * that tags messages is shared, so each must leave it where the next expects it.
   */
  @ParameterizedTest(name = "{0} ranks")
  @ValueSource(ints = {2, 3, 4})
  void halfAndFloatOperationsMixOnOneInstance(int n) throws Exception {
    int[] bounds = bounds(n);
    int size = bounds[n] + PAD;
    short[][] inputs = values(n, size, Wire.FP16);
    short[][] gatherInputs = patterns(n, size, 40 + n);
    float[][] floats = new float[n][];
    for (int r = 0; r < n; r++) {
      floats[r] = widen(patterns(1, size, 50 + r)[0], Wire.BF16);
    }
    List<List<Object>> results = onEveryRank(n, options(), c -> {
      int r = c.rank();
      int count = length(bounds, r);
      List<Object> out = new ArrayList<>();
      float[] wide = widen(inputs[r], Wire.FP16);
      c.reduceScatterSum(FloatBlock.of(wide), bounds, Wire.BF16);
      out.add(wide);
      HeldHalves gathered = TestBlocks.holdHalves(memory(r, 0), gatherInputs[r], Wire.BF16);
      c.allGather(gathered.block, bounds);
      out.add(gathered.bits("rank " + r + " gathered"));
      HeldHalves data = TestBlocks.holdHalves(memory(r, 1), inputs[r], Wire.FP16);
      Held sum = TestBlocks.hold(memory(r, 0), prior(count, r));
      c.reduceScatterSum(data.block, bounds, Wire.BF16, sum.block, SUM_OFFSET, false);
      out.add(sum.values("rank " + r + " sum"));
      Held gatheredFloats = TestBlocks.hold(memory(r, 1), floats[r]);
      c.allGather(gatheredFloats.block, bounds);
      out.add(gatheredFloats.values("rank " + r + " gathered floats"));
      c.reduceScatterSum(data.block, bounds, Wire.BF16, sum.block, SUM_OFFSET, true);
      out.add(sum.values("rank " + r + " sum, added"));
      c.barrier();
      HeldHalves again = TestBlocks.holdHalves(memory(r, 1), inputs[r], Wire.FP16);
      c.allGather(again.block, bounds);
      out.add(again.bits("rank " + r + " gathered again"));
      return out;
    });
    for (int r = 0; r < n; r++) {
      List<Object> out = results.get(r);
      int count = length(bounds, r);
      float[] reference = (float[]) out.get(0);
      float[] once = placed(prior(count, r), reference, bounds[r], count, false);
      assertSameBits((short[]) out.get(1), gathered(gatherInputs, bounds, r),
          "rank " + r + " half all-gather");
      assertSameBits((float[]) out.get(2), once, "rank " + r + " half reduce-scatter");
      float[] gatheredFloats = floats[r].clone();
      for (int owner = 0; owner < n; owner++) {
        System.arraycopy(floats[owner], bounds[owner], gatheredFloats, bounds[owner],
            length(bounds, owner));
      }
      assertSameBits((float[]) out.get(3), gatheredFloats, "rank " + r + " float all-gather");
      assertSameBits((float[]) out.get(4), placed(once, reference, bounds[r], count, true),
          "rank " + r + " half reduce-scatter, added");
      assertSameBits((short[]) out.get(5), gathered(inputs, bounds, r),
          "rank " + r + " half all-gather again");
    }
  }

  /**
   * A world of one rank: the all-gather leaves the block as it is and moves nothing; the
   * reduce-scatter's sums are the rank's own values widened, as the float one leaves them.
   */
  @ParameterizedTest
  @EnumSource(value = Wire.class, names = {"BF16", "FP16"})
  void aRankAloneGathersNothingAndSumsItsOwnValues(Wire format) throws Exception {
    int[] bounds = {START, START + 1203};
    short[] input = values(1, bounds[1] + PAD, format)[0];
    List<List<Object>> results = onEveryRank(1, options(), c -> {
      List<Object> out = new ArrayList<>();
      for (Memory memory : Memory.values()) {
        HeldHalves data = TestBlocks.holdHalves(memory, input, format);
        c.allGather(data.block, bounds);
        out.add(data.bits("gathered"));
        for (Wire wire : WIRES) {
          float[] wide = widen(input, format);
          c.reduceScatterSum(FloatBlock.of(wide), bounds, wire);
          out.add(wide);
          for (boolean add : new boolean[] {false, true}) {
            Held sum = TestBlocks.hold(memory, prior(bounds[1] - bounds[0], 0));
            c.reduceScatterSum(data.block, bounds, wire, sum.block, SUM_OFFSET, add);
            out.add(sum.values(wire + " sum"));
          }
        }
        out.add(data.bits("data"));
      }
      out.add(new long[] {c.stats().bytesReceived(), c.stats().bytesSent()});
      return out;
    });
    List<Object> out = results.get(0);
    float[] widened = widen(input, format);
    int count = bounds[1] - bounds[0];
    for (int m = 0; m < 2; m++) {
      int at = m * 11;
      assertSameBits((short[]) out.get(at), input, Memory.values()[m] + " gathered");
      for (int w = 0; w < WIRES.size(); w++) {
        String what = Memory.values()[m] + " " + WIRES.get(w);
        assertSameBits((float[]) out.get(at + 1 + 3 * w), widened, what + ": float path");
        assertSameBits((float[]) out.get(at + 2 + 3 * w),
            placed(prior(count, 0), widened, bounds[0], count, false), what);
        assertSameBits((float[]) out.get(at + 3 + 3 * w),
            placed(prior(count, 0), widened, bounds[0], count, true), what + ", adding");
      }
      assertSameBits((short[]) out.get(at + 10), input, Memory.values()[m] + " data");
    }
    assertThat((long[]) out.get(22)).containsExactly(0, 0);
  }

  /**
   * Bounds that do not fit the block, a result too short for the rank's segment and a missing wire
   * are refused before anything is sent; the instance stays usable.
   */
  @Test
  void badArgumentsAreRefusedBeforeAnythingMoves() throws Exception {
    int[] bounds = {0, 10, 20};
    List<String> outcomes = onEveryRank(2, options(), c -> {
      HalfBlock data = HalfBlock.of(new short[20], Wire.FP16);
      FloatBlock sum = FloatBlock.of(new float[10]);
      assertThatThrownBy(() -> c.allGather(data, new int[] {0, 10, 21}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("bounds [0, 21) do not fit an array of 20 fp16 values");
      assertThatThrownBy(() -> c.reduceScatterSum(data, new int[] {0, 20}, Wire.FP32, sum, 0,
          false)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("bounds has 2 entries; world size 2 needs 3");
      assertThatThrownBy(() -> c.reduceScatterSum(data, bounds, Wire.FP32, sum, 1, false))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("region [1, 11) does not fit an array of 10 floats");
      assertThatThrownBy(() -> c.reduceScatterSum(data, bounds, null, sum, 0, false))
          .isInstanceOf(NullPointerException.class).hasMessage("wire");
      data.set(c.rank() * 10 + 3, 1.5f);
      c.reduceScatterSum(data, bounds, Wire.FP16, sum, 0, false);
      return sum.get(3) + " " + c.stats().bytesSent();
    });
    assertThat(outcomes).containsExactly("1.5 20", "1.5 20");
  }

  private static CollectiveOptions options() {
    return TestAeron.smallStreams(TOKEN, dir, Transport.IPC).build();
  }

  /** Heap or native for a rank, alternating along the ring and with {@code salt}. */
  private static Memory memory(int rank, int salt) {
    return Memory.values()[(rank + salt) % 2];
  }

  /**
   * Segments from offset {@link #START}: several chunks and an odd tail, then (from 3 ranks) an
   * empty one, then (4 ranks) a single element, then a longer odd one; {@link #PAD} after.
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

  private static int length(int[] bounds, int rank) {
    return bounds[rank + 1] - bounds[rank];
  }

  /** Any 16-bit patterns, NaNs and infinities included: what an all-gather must move as is. */
  private static short[][] patterns(int n, int size, long seed) {
    short[][] bits = new short[n][size];
    for (int r = 0; r < n; r++) {
      Random random = new Random(seed * 1_000 + r);
      for (int i = 0; i < size; i++) {
        bits[r][i] = (short) random.nextInt();
      }
    }
    return bits;
  }

  /** {@code bits} with the quiet bit set in every NaN of {@code format}. */
  private static short[][] quiet(short[][] bits, Wire format) {
    int infinity = format == Wire.BF16 ? 0x7f80 : 0x7c00;
    int quietBit = format == Wire.BF16 ? 0x40 : 0x200;
    for (short[] rank : bits) {
      for (int i = 0; i < rank.length; i++) {
        if ((rank[i] & 0x7fff) > infinity) {
          rank[i] |= quietBit;
        }
      }
    }
    return bits;
  }

  /**
   * Finite values of {@code format} for sums: mostly of either sign with magnitudes 2^-6 to 2^6,
   * where fp32 additions round and orders of addition differ; every eighth any finite pattern,
   * subnormals and fp16 overflow of partial sums included; every sixteenth a signed zero.
   */
  private static short[][] values(int n, int size, Wire format) {
    short[][] bits = new short[n][size];
    int infinity = format == Wire.BF16 ? 0x7f80 : 0x7c00;
    for (int r = 0; r < n; r++) {
      Random random = new Random(977L * r + 13 * format.ordinal() + size);
      for (int i = 0; i < size; i++) {
        if (i % 16 == 0) {
          bits[r][i] = (short) (random.nextBoolean() ? 0x8000 : 0);
        } else if (i % 8 == 0) {
          int pattern = random.nextInt(0x10000);
          bits[r][i] = (short) ((pattern & infinity) == infinity ? pattern ^ 0x4000 : pattern);
        } else {
          float value = (float) ((random.nextBoolean() ? 1 : -1)
              * Math.scalb(1 + random.nextDouble(), random.nextInt(13) - 6));
          bits[r][i] = format == Wire.BF16 ? HalfFloats.toBf16(value) : HalfFloats.toFp16(value);
        }
      }
    }
    return bits;
  }

  private static float[] widen(short[] bits, Wire format) {
    float[] wide = new float[bits.length];
    HalfBlock.of(bits.clone(), format).widenTo(0, FloatBlock.of(wide), 0, bits.length);
    return wide;
  }

  /** What rank {@code r} holds after an all-gather of {@code inputs}: owners' bits in segments. */
  private static short[] gathered(short[][] inputs, int[] bounds, int r) {
    short[] expected = inputs[r].clone();
    for (int owner = 0; owner < inputs.length; owner++) {
      System.arraycopy(inputs[owner], bounds[owner], expected, bounds[owner],
          length(bounds, owner));
    }
    return expected;
  }

  /** A result block's values before: {@link #SUM_OFFSET} + the segment's length + {@link #PAD}. */
  private static float[] prior(int count, int rank) {
    Random random = new Random(4_242L + rank);
    float[] prior = new float[SUM_OFFSET + count + PAD];
    for (int i = 0; i < prior.length; i++) {
      prior[i] = (float) ((random.nextBoolean() ? 1 : -1) * Math.scalb(1 + random.nextDouble(),
          random.nextInt(9) - 4));
    }
    return prior;
  }

  /**
   * {@code prior} with elements {@code [SUM_OFFSET, SUM_OFFSET + count)} set to (or, adding,
   * increased by) {@code sums[from, from + count)}.
   */
  private static float[] placed(float[] prior, float[] sums, int from, int count, boolean add) {
    float[] expected = Arrays.copyOf(prior, prior.length);
    for (int i = 0; i < count; i++) {
      expected[SUM_OFFSET + i] = add ? prior[SUM_OFFSET + i] + sums[from + i] : sums[from + i];
    }
    return expected;
  }

  private static <T> List<T> onEveryRank(int n, CollectiveOptions options, RankBody<T> body)
      throws Exception {
    return RankThreads.run(n, rendezvous -> {
      try (AeronCollectives c = AeronCollectives.create(rendezvous, options, runtime)) {
        return body.run(c);
      }
    });
  }

  private interface RankBody<T> {
    T run(AeronCollectives collectives) throws Exception;
  }

  private record Gathered(short[] bits, long received, long sent) {}

  private record Reduced(float[] reference, float[] written, float[] added, short[] data,
      long[] floatBytes, long[] halfBytes) {}

  /**
   * An Aeron instance with its half-block methods hidden: every other method is delegated, so the
   * two half-block methods run {@link Collectives}' defaults on it.
   */
  private static final class DefaultsOnly implements Collectives {
    private final Collectives inner;

    DefaultsOnly(Collectives inner) {
      this.inner = inner;
    }

    @Override
    public int rank() {
      return inner.rank();
    }

    @Override
    public int worldSize() {
      return inner.worldSize();
    }

    @Override
    public void cancel(String reason) {
      inner.cancel(reason);
    }

    @Override
    public void allReduceSum(FloatBlock data, int offset, int length) {
      inner.allReduceSum(data, offset, length);
    }

    @Override
    public void allReduceSum(FloatBlock data, int[] bounds) {
      inner.allReduceSum(data, bounds);
    }

    @Override
    public void allReduceSum(FloatBlock data, int[] bounds, Wire wire) {
      inner.allReduceSum(data, bounds, wire);
    }

    @Override
    public void reduceScatterSum(FloatBlock data, int[] bounds) {
      inner.reduceScatterSum(data, bounds);
    }

    @Override
    public void reduceScatterSum(FloatBlock data, int[] bounds, Wire wire) {
      inner.reduceScatterSum(data, bounds, wire);
    }

    @Override
    public void allGather(FloatBlock data, int[] bounds) {
      inner.allGather(data, bounds);
    }

    @Override
    public void allGather(FloatBlock data, int[] bounds, Wire wire) {
      inner.allGather(data, bounds, wire);
    }

    @Override
    public void broadcast(FloatBlock data, int offset, int length, int root) {
      inner.broadcast(data, offset, length, root);
    }

    @Override
    public byte[][] allGatherBytes(byte[] local) {
      return inner.allGatherBytes(local);
    }

    @Override
    public void barrier() {
      inner.barrier();
    }

    @Override
    public CollectiveStats stats() {
      return inner.stats();
    }

    @Override
    public void close() {
      inner.close();
    }
  }
}
