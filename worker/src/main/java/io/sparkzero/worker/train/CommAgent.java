package io.sparkzero.worker.train;

import io.sparkzero.sharding.collective.Collectives;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The thread that runs a rank's collectives while its training thread computes, so the gather of
 * the next layer's parameters and the reduce-scatter of the last layer's gradient overlap with
 * DL4J's forward and backward (ZeRO stages 2 and 3).
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
  private final BlockingQueue<Task> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
  private final Thread thread;
  private volatile Throwable failure;

  /** One operation on the collectives. */
  @FunctionalInterface
  interface Operation {
    void run(Collectives collectives);
  }

  private record Task(String name, Operation operation, CompletableFuture<Void> done) {}

  CommAgent(Collectives collectives) {
    this.collectives = collectives;
    this.thread = new Thread(this::loop, "spark-zero-comm-rank-" + collectives.rank());
    thread.setDaemon(true);
    thread.start();
  }

  Collectives collectives() {
    return collectives;
  }

  /** Queues an operation (blocks while the queue is full) and returns its completion. */
  CompletableFuture<Void> submit(String name, Operation operation) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      queue.put(new Task(name, operation, done));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      done.completeExceptionally(e);
    }
    return done;
  }

  /** Waits for {@code done}, rethrowing the operation's failure on the calling thread. */
  static void await(CompletableFuture<?> done) {
    try {
      done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a collective", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(cause.getMessage(), cause);
    }
  }

  /** Throws the failure of an earlier operation, if one failed. */
  void throwIfFailed() {
    Throwable cause = failure;
    if (cause != null) {
      throw new IllegalStateException("an earlier collective failed: " + cause.getMessage(), cause);
    }
  }

  /** Runs everything queued so far and waits for it. */
  void drain() {
    await(submit("drain", c -> {}));
  }

  private void loop() {
    while (true) {
      Task task;
      try {
        task = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      if (task.operation() == null) {
        task.done().complete(null);
        return;
      }
      if (failure != null) {
        task.done().completeExceptionally(failure);
        continue;
      }
      try {
        task.operation().run(collectives);
        task.done().complete(null);
      } catch (Throwable t) {
        failure = t;
        task.done().completeExceptionally(t);
      }
    }
  }

  /** Finishes the queued operations and stops the thread; the collectives stay open. */
  @Override
  public void close() {
    CompletableFuture<Void> stopped = new CompletableFuture<>();
    try {
      queue.put(new Task("stop", null, stopped));
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      thread.interrupt();
    }
  }
}
