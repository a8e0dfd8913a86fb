package io.sparkzero.driver.train;

import io.sparkzero.sharding.collective.Collectives;
import org.apache.spark.TaskContext;

/**
 * Cancels a rank's collectives when Spark kills its task. Spark does not interrupt the threads of
 * a failed barrier stage's other tasks; without this a rank whose peer died would wait out
 * {@code collective.timeout-ms} before its executor slot is free for the relaunched stage.
 */
final class CancellationWatch implements AutoCloseable {
  private static final long POLL_MS = 100;

  private final Thread thread;
  private volatile boolean running = true;

  private CancellationWatch(TaskContext context, Collectives collectives) {
    this.thread = new Thread(() -> {
      while (running) {
        if (context.isInterrupted()) {
          collectives.cancel("Spark killed this task: "
              + context.getKillReason().getOrElse(() -> "no reason given"));
          return;
        }
        try {
          Thread.sleep(POLL_MS);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "spark-zero-cancel-watch-" + context.partitionId());
    thread.setDaemon(true);
  }

  /** Starts watching {@code context} for the task's whole life. */
  static CancellationWatch start(TaskContext context, Collectives collectives) {
    CancellationWatch watch = new CancellationWatch(context, collectives);
    watch.thread.start();
    return watch;
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
