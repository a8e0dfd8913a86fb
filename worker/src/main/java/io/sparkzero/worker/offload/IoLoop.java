package io.sparkzero.worker.offload;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The thread that moves a rank's offloaded state between its tier and the staging buffers, so
 * reads ahead and write-backs overlap the optimizer's compute. A loop that owns its thread: the
 * training thread hands it transfers through a bounded queue and waits on the returned futures;
 * transfers run one at a time in submission order (so a write-back queued before a read into the
 * same staging buffer is done before that read starts). After a failure every later transfer
 * fails with the same cause.
 */
final class IoLoop implements AutoCloseable {
  private static final int QUEUE_CAPACITY = 64;

  /** One transfer; may throw an I/O error. */
  @FunctionalInterface
  interface Transfer {
    void run() throws Exception;
  }

  private record Task(String name, Transfer transfer, CompletableFuture<Void> done) {}

  private final BlockingQueue<Task> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
  private final Thread thread;
  private volatile Throwable failure;

  IoLoop(String name) {
    this.thread = new Thread(this::loop, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues a transfer (blocks while the queue is full) and returns its completion. */
  CompletableFuture<Void> submit(String name, Transfer transfer) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      queue.put(new Task(name, transfer, done));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      done.completeExceptionally(e);
    }
    return done;
  }

  /** Waits for {@code done}, rethrowing the transfer's failure on the calling thread. */
  static void await(CompletableFuture<Void> done) {
    try {
      done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for offloaded state", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new OffloadException(cause.getMessage(), cause);
    }
  }

  private void loop() {
    while (true) {
      Task task;
      try {
        task = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      if (task.transfer() == null) {
        task.done().complete(null);
        return;
      }
      if (failure != null) {
        task.done().completeExceptionally(failure);
        continue;
      }
      try {
        task.transfer().run();
        task.done().complete(null);
      } catch (Throwable t) {
        failure = t;
        task.done().completeExceptionally(t);
      }
    }
  }

  /** Finishes the queued transfers and stops the thread. */
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
