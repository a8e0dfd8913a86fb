package io.sparkzero.sharding.collective;

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

  /** As {@link #allReduceSum(FloatBlock, int, int)} on a heap array. */
  default void allReduceSum(float[] data, int offset, int length) {
    allReduceSum(FloatBlock.of(data), offset, length);
  }

  /**
   * Element-wise sum over ranks; afterwards only this rank's segment {@code [bounds[rank],
   * bounds[rank+1])} holds the sum (other elements are left in an unspecified state).
   */
  void reduceScatterSum(FloatBlock data, int[] bounds);

  /** As {@link #reduceScatterSum(FloatBlock, int[])} on a heap array. */
  default void reduceScatterSum(float[] data, int[] bounds) {
    reduceScatterSum(FloatBlock.of(data), bounds);
  }

  /** Each rank's segment of {@code data} is copied to every other rank. */
  void allGather(FloatBlock data, int[] bounds);

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

  /** Balanced contiguous split of {@code [offset, offset+length)} into {@code parts} segments. */
  static int[] evenBounds(int offset, int length, int parts) {
    int[] bounds = new int[parts + 1];
    for (int i = 0; i <= parts; i++) {
      bounds[i] = offset + (int) ((long) length * i / parts);
    }
    return bounds;
  }
}
