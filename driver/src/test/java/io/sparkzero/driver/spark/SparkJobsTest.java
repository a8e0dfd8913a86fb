package io.sparkzero.driver.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Waiting for the driver's jobs on an embedded {@code local[1]} Spark. */
class SparkJobsTest {
  private JavaSparkContext sc;

  @BeforeEach
  void start() {
    sc = new JavaSparkContext(new SparkConf().setMaster("local[1]").setAppName("SparkJobsTest")
        .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1")
        .set("spark.ui.enabled", "false"));
  }

  @AfterEach
  void stop() {
    sc.stop();
  }

  @Test
  void collectReturnsTheElementsInOrder() {
    assertThat(SparkJobs.collect(sc.sc(), sc.parallelize(List.of(3, 1, 2), 2), "a test job"))
        .containsExactly(3, 1, 2);
  }

  @Test
  void aFailedJobThrowsSparksFailureWithItsMessageAndCause() {
    assertThatThrownBy(() -> SparkJobs.collect(sc.sc(), sc.parallelize(List.of(1, 2), 1)
        .map(x -> {
          if (x == 2) {
            throw new IllegalArgumentException("example 2 is bad");
          }
          return x;
        }), "a test job"))
        .isInstanceOf(SparkJobs.JobFailedException.class)
        .hasCauseInstanceOf(SparkException.class)
        .hasMessageContaining("example 2 is bad")
        .satisfies(e -> assertThat(e.getMessage()).isEqualTo(e.getCause().getMessage()));
  }

  /**
   * The case a plain {@code collect()} hangs on: Spark dropped the job (the session stopped as it
   * was submitted), so its future never completes. The wait ends once the session is stopped.
   */
  @Test
  void aJobThatNeverCompletesEndsTheWaitOnceTheSessionIsStopped() throws Exception {
    NeverCompletes job = new NeverCompletes();
    Thread stopper = new Thread(() -> {
      try {
        Thread.sleep(300);
      } catch (InterruptedException e) {
        return;
      }
      sc.stop();
    });
    stopper.start();
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> SparkJobs.await(sc.sc(), job, "epoch 3's training stage"))
        .isInstanceOf(SparkJobs.SessionStoppedException.class)
        .hasMessage("the Spark session was stopped while epoch 3's training stage ran");
    stopper.join();
    assertThat(job.cancelled).isTrue();
    // Ended within a few polls of the stop, not at some timeout.
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(10_000);
  }

  /** A job future that no event will ever complete. */
  private static final class NeverCompletes implements JavaFutureAction<String> {
    private final CompletableFuture<String> never = new CompletableFuture<>();
    volatile boolean cancelled;

    @Override
    public List<Integer> jobIds() {
      return List.of();
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      cancelled = true;
      return true;
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public boolean isDone() {
      return false;
    }

    @Override
    public String get() throws InterruptedException, ExecutionException {
      return never.get();
    }

    @Override
    public String get(long timeout, TimeUnit unit)
        throws InterruptedException, ExecutionException, TimeoutException {
      return never.get(timeout, unit);
    }
  }
}
