package io.sparkzero.worker.data;

/**
 * A rank's examples for one epoch, step by step: step {@code s} trains on positions {@code
 * [s * batchSize, (s + 1) * batchSize)} of the epoch's order. Held data cut by a schedule, or a
 * stream read while the epoch trains. The training thread and the ConAdv attacker thread may both
 * ask for batches, so implementations are thread-safe.
 */
public interface EpochExamples extends AutoCloseable {

  /** The batch {@code maker} builds from positions {@code [from, to)} of step {@code step}. */
  LocalDataset.Batch batch(BatchMaker maker, int step, int from, int to);

  /**
   * Steps up to {@code step} are trained: nothing asks for their examples again, so a stream may
   * drop them.
   */
  default void trained(int step) {}

  /** What the epoch's stream did so far; {@link StreamStats#NONE} for held data. */
  default StreamStats stats() {
    return StreamStats.NONE;
  }

  /** Stops reading ahead; held data stays for the next epoch. */
  @Override
  default void close() {}
}
