package io.sparkzero.worker.checkpoint;

import io.sparkzero.checkpoint.CheckpointStore;
import io.sparkzero.checkpoint.Manifest;
import io.sparkzero.checkpoint.ShardHeader;
import io.sparkzero.checkpoint.ShardRecord;
import io.sparkzero.checkpoint.ShardWriter;
import io.sparkzero.sharding.collective.Collectives;
import io.sparkzero.sharding.plan.Range;
import io.sparkzero.worker.concurrent.TaskLoop;
import io.sparkzero.worker.train.TrainerState;
import io.sparkzero.worker.train.ZeroTrainer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A rank's side of the checkpoint protocol during training. {@link #save} copies the trainer's
 * shard between two steps and hands the copy to a writer loop that owns its thread, so training
 * goes on while the shard is written; {@link #commitPending} (every rank at once: at the next
 * save, and at the end of the stage) waits for the rank's write, exchanges the ranks' shard
 * records, and rank 0 commits the step by writing its manifest, then deletes checkpoints beyond
 * the newest {@code keep}. A step whose shards are not all written is never committed: if any
 * rank's write failed, every rank throws, naming the rank and the cause.
 */
public final class RankCheckpointer implements AutoCloseable {
  private final CheckpointStore store;
  private final int rank;
  private final int keep;
  private final TaskLoop writer;
  private Pending pending;

  private record Pending(long step, long numElements, List<String> arrays,
      Map<String, String> properties, CompletableFuture<Void> written, ShardRecord[] record) {}

  /**
   * @param keep committed checkpoints to keep (older ones are deleted after a newer commit)
   * @param owner names the writer thread
   */
  public RankCheckpointer(CheckpointStore store, int rank, int keep, String owner) {
    this.store = store;
    this.rank = rank;
    this.keep = keep;
    this.writer = new TaskLoop("spark-zero-checkpoint-" + owner, 4);
  }

  /**
   * Saves {@code trainer}'s state as global step {@code step}: commits the previous save first
   * (waiting for its write), then copies this rank's shard and queues its write. All ranks call
   * it between the same two steps.
   *
   * @param properties what the job needs to resume (epoch, step in epoch, ...), in the manifest
   */
  public void save(ZeroTrainer trainer, long step, Map<String, String> properties,
      Collectives collectives) {
    commitPending(collectives);
    Range shard = trainer.shard();
    List<String> arrays = TrainerState.arrays(trainer.optimizerState().slots());
    ShardHeader header = new ShardHeader(rank, shard.from(), shard.to(), arrays,
        TrainerState.meta(trainer));
    ShardSnapshot snapshot = ShardSnapshot.of(trainer);
    ShardRecord[] record = new ShardRecord[1];
    CompletableFuture<Void> written = writer.submit("write step " + step, () -> {
      try (snapshot; ShardWriter out = store.beginShard(step, rank, header)) {
        snapshot.writeTo(out);
        record[0] = out.finish();
      }
    });
    pending = new Pending(step, trainer.plan().numParams(), arrays, Map.copyOf(properties),
        written, record);
  }

  /**
   * Waits for this rank's pending write and commits its step once every rank's shard is written.
   * All ranks call it together; does nothing when nothing is pending.
   *
   * @throws CheckpointException when any rank's shard could not be written (the step stays
   *     uncommitted; the previous committed step is untouched)
   */
  public void commitPending(Collectives collectives) {
    if (pending == null) {
      return;
    }
    Pending p = pending;
    pending = null;
    String failure = null;
    try {
      TaskLoop.await(p.written(), "the checkpoint write",
          cause -> new CheckpointException(cause.getMessage(), cause));
    } catch (RuntimeException e) {
      failure = String.valueOf(e.getMessage());
    }
    byte[][] outcomes = collectives.allGatherBytes(
        ShardOutcome.encode(failure == null ? p.record()[0] : null, failure));
    List<ShardRecord> records = new ArrayList<>(outcomes.length);
    for (int r = 0; r < outcomes.length; r++) {
      ShardOutcome outcome = ShardOutcome.decode(outcomes[r]);
      if (outcome.failure() != null) {
        throw new CheckpointException("checkpoint step " + p.step() + " is not committed: rank "
            + r + " could not write its shard under " + store.uri() + ": " + outcome.failure());
      }
      records.add(outcome.record());
    }
    if (rank == 0) {
      store.commit(Manifest.of(p.step(), p.numElements(), p.arrays(), records, p.properties()));
      store.retain(keep);
    }
  }

  /** Stops the writer thread; a write still queued is finished first but not committed. */
  @Override
  public void close() {
    writer.close();
  }
}
