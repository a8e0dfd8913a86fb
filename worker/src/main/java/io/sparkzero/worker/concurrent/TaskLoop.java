package io.sparkzero.worker.concurrent;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * A loop that owns its thread: other threads hand it tasks through a bounded
 * queue and wait on the returned futures; tasks run one at a time in submission order. After a
 * task fails, every later task fails with the same cause without running. A rank's comm agent and
 * its offload I/O loop are such loops.
 */
public final class TaskLoop implements AutoCloseable {

  /** One unit of work; may throw. */
  @FunctionalInterface
  public interface Task {
    void run() throws Exception;
  }

  private record Entry(String name, Task task, CompletableFuture<Void> done) {}

  private final BlockingQueue<Entry> queue;
  private final Thread thread;
  private volatile Throwable failure;

  /** Starts the loop's daemon thread, named {@code threadName}, with room for {@code capacity}. */
  public TaskLoop(String threadName, int capacity) {
    this.queue = new ArrayBlockingQueue<>(capacity);
    int device = RankDevice.current(); // the rank's GPU, for the arrays tasks create
    this.thread = new Thread(() -> {
      RankDevice.use(device);
      loop();
    }, threadName);
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues a task (blocks while the queue is full) and returns its completion. */
  public CompletableFuture<Void> submit(String name, Task task) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      queue.put(new Entry(name, task, done));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      done.completeExceptionally(e);
    }
    return done;
  }

  /** The cause of the first failed task, or null. */
  public Throwable failure() {
    return failure;
  }

  /**
   * Waits for {@code done}; a failed task's runtime exception is rethrown as is, any other cause
   * through {@code wrap}.
   *
   * @param waitingFor what the caller waits for, for the message when interrupted
   */
  public static void await(CompletableFuture<?> done, String waitingFor,
      Function<Throwable, RuntimeException> wrap) {
    try {
      done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + waitingFor, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw wrap.apply(cause);
    }
  }

  private void loop() {
    while (true) {
      Entry entry;
      try {
        entry = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      if (entry.task() == null) {
        entry.done().complete(null);
        return;
      }
      if (failure != null) {
        entry.done().completeExceptionally(failure);
        continue;
      }
      try {
        entry.task().run();
        entry.done().complete(null);
      } catch (Throwable t) {
        failure = t;
        entry.done().completeExceptionally(t);
      }
    }
  }

  /** Finishes the queued tasks and stops the thread. */
  @Override
  public void close() {
    CompletableFuture<Void> stopped = new CompletableFuture<>();
    try {
      queue.put(new Entry("stop", null, stopped));
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      thread.interrupt();
    }
  }
}
