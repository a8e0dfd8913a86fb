package io.sparkzero.worker.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * What the ranks stream and how: the data set's chunks (listed by the driver from metadata) and
 * the bounds of what a rank holds while it streams.
 *
 * <p>The shuffle has two levels, as a global permutation of single examples would need random
 * reads of single rows. Every epoch the chunks are put in an order drawn from (seed, epoch) and
 * dealt one by one to the rank that holds the fewest examples so far ({@link #share}), so an
 * example lands on another rank from one epoch to the next. A rank then reads its chunks in
 * order into blocks of {@code windowExamples} examples and trains on each block in an order drawn
 * from (seed, epoch, rank, block): examples of up to {@code windowExamples / chunk size} chunks
 * from anywhere in the data set mix within a block.
 *
 * @param chunks the data set's chunks, in the source's order
 * @param windowExamples examples per block: the shuffle window
 * @param readAheadBytes decoded examples the reader may hold ready beyond the blocks in use; at
 *     least one block is always read ahead
 * @param numFeatures features per example
 * @param numClasses labels lie in {@code [0, numClasses)}
 */
public record StreamPlan(List<ExampleChunk> chunks, int windowExamples, long readAheadBytes,
    int numFeatures, int numClasses) implements Serializable {

  /** Bytes of a block's arrays per example: features, label, id. */
  private static final int EXAMPLE_OVERHEAD_BYTES = Integer.BYTES + Long.BYTES;

  /** Validates the bounds and keeps the chunk list as given. */
  public StreamPlan {
    chunks = List.copyOf(chunks);
    if (chunks.isEmpty()) {
      throw new IllegalArgumentException("a stream needs at least one chunk of data");
    }
    if (windowExamples < 1 || readAheadBytes < 0 || numFeatures < 1 || numClasses < 1) {
      throw new IllegalArgumentException("stream bounds: window " + windowExamples
          + " examples, read-ahead " + readAheadBytes + " bytes, " + numFeatures + " features, "
          + numClasses + " classes");
    }
  }

  /** The examples of all chunks by their metadata. */
  public long count() {
    long n = 0;
    for (ExampleChunk c : chunks) {
      n += c.count();
    }
    return n;
  }

  /** The bytes one block's arrays take. */
  public long blockBytes() {
    return (long) windowExamples * ((long) numFeatures * Float.BYTES + EXAMPLE_OVERHEAD_BYTES);
  }

  /** Blocks the reader may hold ready ahead of the training thread: at least one. */
  public int blocksAhead() {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE / 2, readAheadBytes / blockBytes()));
  }

  /**
   * The most a rank's stream holds at once: the blocks read ahead, the one being filled, and the
   * two a step may span while it trains (a step's examples can straddle a block boundary).
   */
  public long heldBytes() {
    return (blocksAhead() + 3L) * blockBytes();
  }

  /**
   * The chunks {@code rank} streams in {@code epoch}, in the order it reads them: the chunks in an
   * order drawn from (seed, epoch), each dealt to the rank with the fewest examples so far (ties
   * to the lowest rank). Shares differ by at most one chunk's examples; every rank computes the
   * same dealing, so together they read each chunk exactly once per pass.
   */
  public List<ExampleChunk> share(long seed, int epoch, int rank, int worldSize) {
    if (rank < 0 || rank >= worldSize) {
      throw new IllegalArgumentException("rank " + rank + " outside [0, " + worldSize + ")");
    }
    int[] order = Seeds.permutation(chunks.size(), Seeds.mix(seed, 0x5EED_C4B7L, epoch));
    PriorityQueue<long[]> load = new PriorityQueue<>((a, b) -> a[0] != b[0]
        ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1])); // {examples, rank}
    for (int r = 0; r < worldSize; r++) {
      load.add(new long[] {0, r});
    }
    List<ExampleChunk> mine = new ArrayList<>();
    for (int index : order) {
      long[] least = load.poll();
      ExampleChunk chunk = chunks.get(index);
      if (least[1] == rank) {
        mine.add(chunk);
      }
      least[0] += chunk.count();
      load.add(least);
    }
    return mine;
  }

}
