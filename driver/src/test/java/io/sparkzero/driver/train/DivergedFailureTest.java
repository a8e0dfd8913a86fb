package io.sparkzero.driver.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;

/**
 * Which failed stages the driver relaunches: on a cluster the worker's exception reaches the driver
 * only as text inside Spark's stage failure, so the skip guard's failure is recognised by its
 * class name there too; other failures (a lost executor, an I/O error) stay restartable.
 */
class DivergedFailureTest {
  private static final String SKIP_GUARD =
      "io.sparkzero.worker.train.LossScale$NonFiniteGradientException";

  @Test
  void skipGuardFailureReportedByAnExecutorIsDivergence() {
    SparkException e = new SparkException("Job aborted due to stage failure: Task 1 in stage 3.0"
        + " failed 1 times, most recent failure: Lost task 1.0 in stage 3.0 (TID 5) (10.0.0.2"
        + " executor 1): " + SKIP_GUARD + ": global step 3 (0-based), rank 1: 4 steps in a row");
    assertThat(StageRestarts.diverged(e)).isTrue();
    assertThat(StageRestarts.diverged(new RuntimeException("epoch 2", e))).as("as a cause").isTrue();
  }

  @Test
  void otherFailuresAreNotDivergence() {
    assertThat(StageRestarts.diverged(new SparkException("Job aborted due to stage failure:"
        + " ExecutorLostFailure (executor 1 exited caused by one of the running tasks)"))).isFalse();
    assertThat(StageRestarts.diverged(new RuntimeException(new IOException("disk full")))).isFalse();
    assertThat(StageRestarts.diverged(new IllegalStateException((String) null))).isFalse();
  }

  @Test
  void aLostExecutorIsNamedInOneLine() {
    SparkException e = new SparkException("Job aborted due to stage failure: Could not recover"
        + " from a failed barrier ResultStage. Most recent failure reason: Stage failed because"
        + " barrier task ResultTask(3, 1) finished unsuccessfully.\nExecutorLostFailure (executor 1"
        + " exited caused by one of the running tasks) Reason: Command exited with code 137\n");
    assertThat(StageRestarts.rootMessage(e)).isEqualTo("ExecutorLostFailure (executor 1 exited"
        + " caused by one of the running tasks) Reason: Command exited with code 137");
  }
}
