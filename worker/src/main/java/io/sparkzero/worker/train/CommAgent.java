package io.sparkzero.worker.train;

import io.sparkzero.sharding.collective.Collectives;
import io.sparkzero.worker.concurrent.TaskLoop;
import java.util.concurrent.CompletableFuture;

/**
 * The thread that runs a rank's collectives while its training thread computes, so the gather of
 * the next layer's parameters and the reduce-scatter of the last layer's gradient overlap with
 * DL4J's forward and backward (ZeRO stages 2 and 3), and stages 0 and 1 reduce gradient buckets
 * while the backward goes on.
 *
 * <p>A loop that owns its thread: the training thread hands it operations through a bounded
 * queue and waits on the returned futures; it never touches the collectives itself while the
 * agent runs. Operations run one at a time in submission order, which is the same on every rank,
 * so the ranks' collectives match up. After a failure every later operation fails with the same
 * cause, and the training thread sees it at its next wait.
 */
final class CommAgent implements AutoCloseable {
  private static final int QUEUE_CAPACITY = 256;

  private final Collectives collectives;
  private final TaskLoop loop;
  private final Object clock = new Object();
  private long busyNanos; // guarded by clock
  private long runningSinceNanos = -1; // guarded by clock; -1 while idle
  private long waitedNanos; // the training thread's own count: only it reads and writes it

  /** One operation on the collectives. */
  @FunctionalInterface
  interface Operation {
    void run(Collectives collectives);
  }

  CommAgent(Collectives collectives) {
    this.collectives = collectives;
    this.loop = new TaskLoop("spark-zero-comm-rank-" + collectives.rank(), QUEUE_CAPACITY);
  }

  Collectives collectives() {
    return collectives;
  }

  /** Queues an operation (blocks while the queue is full) and returns its completion. */
  CompletableFuture<Void> submit(String name, Operation operation) {
    return loop.submit(name, () -> {
      started();
      try {
        operation.run(collectives);
      } finally {
        finished();
      }
    });
  }

  /**
   * Nanoseconds this agent has spent running operations since it started, the one running now
   * counted up to now: read before and after a stretch of the training thread's compute, the
   * difference is communication that stretch hid.
   */
  long busyNanos() {
    synchronized (clock) {
      return busyNanos + (runningSinceNanos < 0 ? 0 : System.nanoTime() - runningSinceNanos);
    }
  }

  private void started() {
    synchronized (clock) {
      runningSinceNanos = System.nanoTime();
    }
  }

  private void finished() {
    synchronized (clock) {
      busyNanos += System.nanoTime() - runningSinceNanos;
      runningSinceNanos = -1;
    }
  }

  /** Waits for {@code done}, rethrowing the operation's failure on the calling thread. */
  static void await(CompletableFuture<?> done) {
    TaskLoop.await(done, "a collective",
        cause -> new IllegalStateException(cause.getMessage(), cause));
  }

  /**
   * Waits for {@code done}, one of this agent's operations, as {@link #await} does, and counts the
   * wait in {@link #waitedNanos()}. Training thread only.
   */
  void waitFor(CompletableFuture<?> done) {
    long start = System.nanoTime();
    try {
      await(done);
    } finally {
      waitedNanos += System.nanoTime() - start;
    }
  }

  /** Counts {@code nanos} the training thread waited for this agent otherwise (a free buffer). */
  void waited(long nanos) {
    waitedNanos += nanos;
  }

  /**
   * Nanoseconds the training thread has waited for this agent ({@link #waitFor}, {@link #drain},
   * {@link #waited}). The agent's busy time less this, over a stretch of compute, is the
   * communication that stretch hid.
   */
  long waitedNanos() {
    return waitedNanos;
  }

  /**
   * The communication hidden since {@link #busyNanos()} read {@code busy0} and {@link
   * #waitedNanos()} read {@code waited0}: the agent's busy time less the training thread's waits
   * for it, during which the agent worked but nothing was hidden. Training thread only.
   */
  long hiddenSince(long busy0, long waited0) {
    return Math.max(0, (busyNanos() - busy0) - (waitedNanos - waited0));
  }

  /** Throws the failure of an earlier operation, if one failed. */
  void throwIfFailed() {
    Throwable cause = loop.failure();
    if (cause != null) {
      throw new IllegalStateException("an earlier collective failed: " + cause.getMessage(), cause);
    }
  }

  /** Runs everything queued so far and waits for it. */
  void drain() {
    waitFor(submit("drain", c -> {}));
  }

  /** Finishes the queued operations and stops the thread; the collectives stay open. */
  @Override
  public void close() {
    loop.close();
  }
}
