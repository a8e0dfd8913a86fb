package io.sparkzero.worker.data;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * One rank's epoch read from a {@link StreamPlan} while it trains: the blocks the reader hands
 * over, held from the first step not yet trained to the furthest step asked for (the ConAdv
 * attacker asks up to τ steps ahead), and dropped once trained. What the rank holds is bounded by
 * the plan's {@link StreamPlan#heldBytes()} plus the attacker's look-ahead.
 *
 * <p>The order is a function of (plan, seed, epoch, rank, world size, kept ids) alone, so a
 * relaunched attempt that starts mid-epoch skips to its first step and trains on the same
 * examples as an uninterrupted one (it reads the skipped part again, and drops it).
 */
public final class StreamedEpoch implements EpochExamples {
  private final ChunkStream stream;
  private final int batchSize;
  private final ArrayDeque<ChunkStream.Block> held = new ArrayDeque<>();
  /** Stream positions below this are trained or skipped. */
  private long floor;
  /** The end of the last block taken from the stream. */
  private long taken;
  private long waitNanos;

  private StreamedEpoch(ChunkStream stream, int batchSize, int firstStep) {
    this.stream = stream;
    this.batchSize = batchSize;
    this.floor = (long) firstStep * batchSize;
  }

  /**
   * Starts streaming {@code rank}'s share of {@code epoch}.
   *
   * @param steps the epoch's steps: every rank streams {@code steps * batchSize} examples
   * @param firstStep the step this attempt starts at (past 0 when it resumes mid-epoch)
   * @param kept the examples to keep (data pruning); null keeps all
   */
  public static StreamedEpoch open(StreamPlan plan, long seed, int epoch, int rank, int worldSize,
      int steps, int batchSize, int firstStep, KeptIds kept) {
    long needed = (long) steps * batchSize;
    String who = "rank " + rank + " epoch " + (epoch + 1);
    ChunkStream stream = new ChunkStream(plan, plan.share(seed, epoch, rank, worldSize), kept,
        needed, Seeds.mix(seed, 0xB10C_5EEDL, epoch, rank), who);
    return new StreamedEpoch(stream, batchSize, firstStep);
  }

  @Override
  public synchronized LocalDataset.Batch batch(BatchMaker maker, int step, int from, int to) {
    long first = (long) step * batchSize + from;
    long end = (long) step * batchSize + to;
    if (first < floor) {
      throw new IllegalStateException("the examples of step " + step + " were already trained"
          + " and dropped from the stream");
    }
    while (taken < end) {
      long t0 = System.nanoTime();
      ChunkStream.Block block = stream.next();
      waitNanos += System.nanoTime() - t0;
      taken = block.end();
      if (block.end() > floor) {
        held.addLast(block);
      }
    }
    for (ChunkStream.Block block : held) {
      if (block.start() <= first && end <= block.end()) {
        return maker.batch(block.examples(), positions((int) (first - block.start()),
            (int) (end - block.start())));
      }
    }
    return maker.batch(spanning(first, end), positions(0, (int) (end - first)));
  }

  @Override
  public synchronized void trained(int step) {
    floor = Math.max(floor, (long) (step + 1) * batchSize);
    for (Iterator<ChunkStream.Block> it = held.iterator(); it.hasNext(); ) {
      if (it.next().end() <= floor) {
        it.remove();
      }
    }
  }

  @Override
  public synchronized StreamStats stats() {
    return new StreamStats(stream.skippedRecords(), stream.readExamplesPerS(), waitNanos);
  }

  @Override
  public void close() {
    stream.close();
  }

  /** Positions {@code [first, end)} copied out of the held blocks they straddle. */
  private LocalDataset spanning(long first, long end) {
    int n = (int) (end - first);
    int numFeatures = held.getFirst().examples().numFeatures();
    float[] features = new float[n * numFeatures];
    int[] labels = new int[n];
    long[] ids = new long[n];
    int i = 0;
    for (ChunkStream.Block block : held) {
      long from = Math.max(first, block.start());
      long to = Math.min(end, block.end());
      if (from >= to) {
        continue;
      }
      int[] rows = positions((int) (from - block.start()), (int) (to - block.start()));
      System.arraycopy(block.examples().features(rows), 0, features, i * numFeatures,
          rows.length * numFeatures);
      for (int row : rows) {
        labels[i] = block.examples().label(row);
        ids[i++] = block.examples().id(row);
      }
    }
    return LocalDataset.ordered(features, labels, ids, numFeatures,
        held.getFirst().examples().numClasses(), null);
  }

  private static int[] positions(int from, int to) {
    int[] p = new int[to - from];
    for (int i = 0; i < p.length; i++) {
      p[i] = from + i;
    }
    return p;
  }
}
