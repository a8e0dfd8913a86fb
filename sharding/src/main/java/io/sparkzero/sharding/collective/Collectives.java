package io.sparkzero.sharding.collective;

import java.util.Objects;

/**
 * Collective operations between the ranks of one job. Every rank must call the same operations in
 * the same order with the same lengths; calls block until this rank's part is complete.
 *
 * <p>Data is a {@link FloatBlock}: a heap array, or native memory (an ND4J buffer, a direct
 * {@code ByteBuffer}) worked on in place; ranks may mix the two. The {@code float[]} forms wrap the
 * array in a block. Offsets and lengths count floats of the block.
 *
 * <p>Segment bounds: {@code bounds} has {@code worldSize + 1} non-decreasing offsets into the
 * region; rank {@code r} owns {@code [bounds[r], bounds[r+1])}. {@link #evenBounds} gives the
 * balanced split used by {@link #allReduceSum}.
 *
 * <p>The segment operations also take a {@link Wire}: with a 16-bit one, messages carry 2-byte
 * elements (half the bytes) while every rank still adds in fp32. An implementation that has no
 * 16-bit path runs {@link Wire#FP32} and refuses the others with {@link
 * UnsupportedOperationException}.
 */
public interface Collectives extends AutoCloseable {

  int rank();

  /**
   * Makes the wait in progress, on whatever thread, and every later one fail with {@link
   * CollectiveCancelledException} naming {@code reason}: for a rank whose work was cancelled
   * (its stage failed elsewhere), so it stops waiting for peers that will never answer. Safe to
   * call from any thread; does nothing where no wait can block.
   */
  default void cancel(String reason) {}

  int worldSize();

  /** Element-wise sum over ranks of {@code data[offset, offset+length)}, result on every rank. */
  void allReduceSum(FloatBlock data, int offset, int length);

  /**
   * Element-wise sum over ranks of {@code data[bounds[0], bounds[worldSize])}, result on every
   * rank, with the ring's segments at {@code bounds}: each element is added in the order a {@link
   * #reduceScatterSum} over the same bounds adds it, so the two agree bit for bit on the elements
   * that the reduce-scatter leaves summed. The default is that reduce-scatter and an all-gather.
   */
  default void allReduceSum(FloatBlock data, int[] bounds) {
    reduceScatterSum(data, bounds);
    allGather(data, bounds);
  }

  /**
   * {@link #reduceScatterSum(FloatBlock, int[], Wire)} then {@link #allGather(FloatBlock, int[],
   * Wire)} over {@code wire}: afterwards every rank holds the same bits, each segment's fp32 sum
   * rounded once more, to the wire, by its owner. With {@link Wire#FP32} this is {@link
   * #allReduceSum(FloatBlock, int[])}, bit for bit.
   */
  default void allReduceSum(FloatBlock data, int[] bounds, Wire wire) {
    if (requireFp32(wire, "allReduceSum")) {
      allReduceSum(data, bounds);
    }
  }

  /** As {@link #allReduceSum(FloatBlock, int, int)} on a heap array. */
  default void allReduceSum(float[] data, int offset, int length) {
    allReduceSum(FloatBlock.of(data), offset, length);
  }

  /**
   * Element-wise sum over ranks; afterwards only this rank's segment {@code [bounds[rank],
   * bounds[rank+1])} holds the sum (other elements are left in an unspecified state).
   */
  void reduceScatterSum(FloatBlock data, int[] bounds);

  /**
   * {@link #reduceScatterSum(FloatBlock, int[])} with messages over {@code wire}. Only what is
   * sent is rounded to the wire: each rank widens the partial sum it receives to fp32, adds its
   * own fp32 values to it in fp32, in the same order as the fp32 reduce-scatter over the same
   * bounds, and sends that sum rounded to the wire. A segment's sum is thus rounded to the wire
   * {@code worldSize - 1} times on its way round the ring, and its owner ends with an fp32 value,
   * not rounded to the wire after the last addition. For {@code N} ranks and wire precision {@code
   * u} (2^-8 for bf16, 2^-11 for fp16, while partial sums stay in the normal range) the error
   * against the exact sum is within {@code ((1+u)^(N-1) (1+2^-24)^(N-1) - 1) * sum|x_i|}, about
   * {@code (N-1)(u + 2^-24) sum|x_i|}. In fp16 a partial sum of magnitude 65520 or more becomes
   * infinite, and the owner's sum with it: a non-finite gradient. With {@link Wire#FP32} this is
   * {@link #reduceScatterSum(FloatBlock, int[])}, bit for bit.
   */
  default void reduceScatterSum(FloatBlock data, int[] bounds, Wire wire) {
    if (requireFp32(wire, "reduceScatterSum")) {
      reduceScatterSum(data, bounds);
    }
  }

  /** As {@link #reduceScatterSum(FloatBlock, int[])} on a heap array. */
  default void reduceScatterSum(float[] data, int[] bounds) {
    reduceScatterSum(FloatBlock.of(data), bounds);
  }

  /** Each rank's segment of {@code data} is copied to every other rank. */
  void allGather(FloatBlock data, int[] bounds);

  /**
   * {@link #allGather(FloatBlock, int[])} with messages over {@code wire}. Every rank ends with
   * the same bits: each owner rounds its own segment to the wire in place as it sends it (also in
   * a world of one rank), and the others store what they receive, widened exactly. With {@link
   * Wire#FP32} this is {@link #allGather(FloatBlock, int[])}, bit for bit.
   */
  default void allGather(FloatBlock data, int[] bounds, Wire wire) {
    if (requireFp32(wire, "allGather")) {
      allGather(data, bounds);
    }
  }

  /**
   * Each rank's segment of the 16-bit {@code data} is copied to every other rank as it is, so every
   * rank ends with the same bits; messages carry the block's own format, 2 bytes an element. The
   * default widens the block into a temporary fp32 array, gathers that and rounds it back: exact,
   * every value being a 16-bit one, but for a signalling NaN, which rounding quiets (on every rank,
   * its owner's included).
   */
  default void allGather(HalfBlock data, int[] bounds) {
    float[] wide = new float[bounds[worldSize()]];
    int from = bounds[0];
    data.widenTo(from, FloatBlock.of(wide), from, wide.length - from);
    allGather(wide, bounds);
    data.roundFrom(FloatBlock.of(wide), from, from, wide.length - from);
  }

  /**
   * The element-wise fp32 sum over ranks of the 16-bit {@code data}, over {@code wire}, without an
   * fp32 copy of the block: the sums of this rank's segment {@code [bounds[rank], bounds[rank+1])}
   * go to {@code sum[sumOffset, ...)}, added to what is there when {@code addToSum}; {@code data}
   * is only read. The sums are {@link #reduceScatterSum(FloatBlock, int[], Wire)}'s on {@code data}
   * widened to fp32, bit for bit, with the same rounding to the wire on the way (and then {@code
   * sum + that} when adding). The default does exactly that through a temporary fp32 array.
   */
  default void reduceScatterSum(HalfBlock data, int[] bounds, Wire wire, FloatBlock sum,
      int sumOffset, boolean addToSum) {
    float[] wide = new float[bounds[worldSize()]];
    int from = bounds[0];
    data.widenTo(from, FloatBlock.of(wide), from, wide.length - from);
    reduceScatterSum(FloatBlock.of(wide), bounds, wire);
    int lo = bounds[rank()];
    int count = bounds[rank() + 1] - lo;
    for (int i = 0; i < count; i++) {
      sum.set(sumOffset + i, addToSum ? sum.get(sumOffset + i) + wide[lo + i] : wide[lo + i]);
    }
  }

  /** As {@link #allGather(FloatBlock, int[])} on a heap array. */
  default void allGather(float[] data, int[] bounds) {
    allGather(FloatBlock.of(data), bounds);
  }

  /** Copies {@code data[offset, offset+length)} from {@code root} to every rank. */
  void broadcast(FloatBlock data, int offset, int length, int root);

  /** As {@link #broadcast(FloatBlock, int, int, int)} on a heap array. */
  default void broadcast(float[] data, int offset, int length, int root) {
    broadcast(FloatBlock.of(data), offset, length, root);
  }

  /** Gathers one small byte message from every rank (element {@code i} from rank {@code i}). */
  byte[][] allGatherBytes(byte[] local);

  /** Returns when every rank has entered the barrier. */
  void barrier();

  /** Counters since this instance was created. */
  CollectiveStats stats();

  /** Releases the streams; the shared Aeron runtime stays up for the next stage. */
  @Override
  void close();

  /**
   * True for {@link Wire#FP32}, which every implementation runs; throws for the 16-bit wires,
   * naming this implementation, so that a default method never quietly sends fp32 instead.
   */
  private boolean requireFp32(Wire wire, String operation) {
    if (Objects.requireNonNull(wire, "wire") == Wire.FP32) {
      return true;
    }
    throw new UnsupportedOperationException(getClass().getName() + " has no " + operation
        + " over the " + wire.configValue() + " wire (" + wire + "); use Wire.FP32 with it, or "
        + AeronCollectives.class.getSimpleName() + ", which has every wire");
  }

  /** Balanced contiguous split of {@code [offset, offset+length)} into {@code parts} segments. */
  static int[] evenBounds(int offset, int length, int parts) {
    int[] bounds = new int[parts + 1];
    for (int i = 0; i <= parts; i++) {
      bounds[i] = offset + (int) ((long) length * i / parts);
    }
    return bounds;
  }
}
