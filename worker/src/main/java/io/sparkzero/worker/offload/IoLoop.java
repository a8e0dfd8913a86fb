package io.sparkzero.worker.offload;

import io.sparkzero.worker.concurrent.TaskLoop;
import java.util.concurrent.CompletableFuture;

/**
 * The thread that moves a rank's offloaded state between its tier and the staging buffers, so
 * reads ahead and write-backs overlap the optimizer's compute: a {@link TaskLoop}, so transfers
 * run one at a time in submission order (a write-back queued before a read into the same staging
 * buffer is done before that read starts), and after a failure every later transfer fails with
 * the same cause.
 */
final class IoLoop implements AutoCloseable {
  private static final int QUEUE_CAPACITY = 64;

  private final TaskLoop loop;

  IoLoop(String name) {
    this.loop = new TaskLoop(name, QUEUE_CAPACITY);
  }

  /** Queues a transfer (blocks while the queue is full) and returns its completion. */
  CompletableFuture<Void> submit(String name, TaskLoop.Task transfer) {
    return loop.submit(name, transfer);
  }

  /** Waits for {@code done}, rethrowing the transfer's failure on the calling thread. */
  static void await(CompletableFuture<Void> done) {
    TaskLoop.await(done, "offloaded state",
        cause -> new OffloadException(cause.getMessage(), cause));
  }

  /** Finishes the queued transfers and stops the thread. */
  @Override
  public void close() {
    loop.close();
  }
}
