package io.sparkzero.driver.spark;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaRDD;

/**
 * Runs the driver's Spark jobs so that stopping the session always ends the wait.
 *
 * <p>A plain {@code collect()} can wait forever: when the session is stopped (from another thread,
 * or by a signal's shutdown hook) just as the job is submitted, Spark's scheduler drops the job
 * and its waiter is never completed. Here the job runs asynchronously and the caller checks every
 * {@link #POLL_MS} ms whether the session is still running.
 */
public final class SparkJobs {
  /** How often a waiting caller checks whether the session was stopped. */
  static final long POLL_MS = 100;

  private SparkJobs() {}

  /**
   * The elements of {@code rdd}, as {@code collect()} returns them. A failed job throws its
   * failure unchanged (a Spark {@code SparkException} is wrapped in {@link JobFailedException},
   * which keeps its message and cause); a session stopped while waiting throws {@link
   * SessionStoppedException} naming {@code what}.
   */
  public static <T> List<T> collect(SparkContext context, JavaRDD<T> rdd, String what) {
    return await(context, rdd.collectAsync(), what);
  }

  /**
   * Names the Spark jobs this thread submits until the result is closed, as Spark's UI and event
   * log show them ("epoch 3/10: training"); closing restores the previous description.
   */
  public static Description describe(SparkContext context, String description) {
    String previous = context.getLocalProperty(DESCRIPTION);
    context.setJobDescription(description);
    return () -> context.setJobDescription(previous);
  }

  /** The local property that holds a job's description. */
  static final String DESCRIPTION = "spark.job.description";

  /** A job description in force; {@link #close()} restores the one before. */
  @FunctionalInterface
  public interface Description extends AutoCloseable {
    @Override
    void close();
  }

  static <T> T await(SparkContext context, JavaFutureAction<T> job, String what) {
    while (true) {
      try {
        return job.get(POLL_MS, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        if (context.isStopped()) {
          job.cancel(true);
          throw new SessionStoppedException(what);
        }
      } catch (InterruptedException e) {
        job.cancel(true);
        Thread.currentThread().interrupt();
        throw new SessionStoppedException(what + " (the waiting thread was interrupted)");
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException runtime) {
          throw runtime;
        }
        if (cause instanceof Error error) {
          throw error;
        }
        throw new JobFailedException(cause);
      }
    }
  }

  /** The Spark session was stopped while the driver waited for a job. */
  public static final class SessionStoppedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    SessionStoppedException(String what) {
      super("the Spark session was stopped while " + what + " ran");
    }
  }

  /** A job's checked failure (Spark's {@code SparkException}), with its message and cause. */
  public static final class JobFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    JobFailedException(Throwable cause) {
      super(cause.getMessage(), cause);
    }
  }
}
