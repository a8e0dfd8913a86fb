package io.sparkzero.driver.errors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.sparkzero.checkpoint.CheckpointCorruptException;
import io.sparkzero.driver.data.DataFormatException;
import io.sparkzero.sharding.options.ConfigException;
import io.sparkzero.worker.train.LossScale;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;

/**
 * The classifier behind the command line's error report: user errors are found as the thrown
 * exception, as a cause (local mode keeps the executor's exception), or only as text inside
 * Spark's stage failure (a cluster); what is left is a bug.
 */
class UserErrorsTest {
  private static final String STAGE_FAILURE = "Job aborted due to stage failure: Task 1 in stage"
      + " 3.0 failed 1 times, most recent failure: Lost task 1.0 in stage 3.0 (TID 5) (10.0.0.2"
      + " executor 1): ";
  private static final String FRAMES = "\n\tat io.sparkzero.worker.train.LossScale.record("
      + "LossScale.java:88)\n\tat java.base/java.lang.Thread.run(Thread.java:840)\n\nDriver"
      + " stacktrace:\n\tat org.apache.spark.scheduler.DAGScheduler.failJobAndIndependentStages";

  @Test
  void eachUserErrorHasItsExitCode() {
    ConfigException config = new ConfigException("train.epochs", "-1", "[1, 10]");
    assertThat(UserErrors.classify(config)).isEqualTo(new ErrorReport(ErrorKind.CONFIGURATION,
        "option 'train.epochs': value '-1' is not allowed; expected [1, 10]", null, config));
    assertThat(UserErrors.classify(new DataFormatException("/d/x", "byte offset 9", "cut"))
        .exitCode()).isEqualTo(2);
    assertThat(UserErrors.classify(new PlanDoesNotFitException("zero.stage", "too big")))
        .satisfies(r -> {
          assertThat(r.exitCode()).isEqualTo(3);
          assertThat(r.message()).isEqualTo("option 'zero.stage': too big");
          assertThat(r.hint()).contains("spark-zero plan");
        });
    CheckpointCorruptException damage = new CheckpointCorruptException("file:/c/step-9/rank-0",
        12, "CRC32C mismatch");
    assertThat(UserErrors.classify(new DamagedCheckpointException(damage, "do this")))
        .satisfies(r -> {
          assertThat(r.exitCode()).isEqualTo(4);
          assertThat(r.message()).isEqualTo("corrupt checkpoint file file:/c/step-9/rank-0 at byte"
              + " 12: CRC32C mismatch. This step cannot be loaded; resume from an older committed"
              + " step.");
          assertThat(r.hint()).isEqualTo("do this");
        });
    assertThat(UserErrors.classify(diverged()).exitCode()).isEqualTo(5);
  }

  @Test
  void aUserErrorAsTheCauseOfSparksFailureKeepsItsOwnMessage() {
    CheckpointCorruptException damage = new CheckpointCorruptException("file:/c/x", -1, "gone");
    ErrorReport r = UserErrors.classify(
        new SparkException(STAGE_FAILURE + damage + FRAMES, damage));
    assertThat(r.kind()).isEqualTo(ErrorKind.DAMAGED_CHECKPOINT);
    assertThat(r.message()).isEqualTo(damage.getMessage());
    assertThat(r.hint()).contains("checkpoint.on-corrupt: previous").contains("checkpoint.path");
  }

  /** A write with no room, known only from a rank's line in Spark's text: exit 6, that line. */
  @Test
  void aFullFileSystemIsAStorageErrorNamedByTheRanksOwnLine() {
    String line = "checkpoint step 4 is not committed: rank 0 could not write its shard under"
        + " file:/tmp/c: java.io.IOException: No space left on device";
    SparkException e = new SparkException(STAGE_FAILURE
        + "io.sparkzero.worker.checkpoint.CheckpointException: " + line + FRAMES);
    ErrorReport r = UserErrors.classify(new RuntimeException("epoch 1", e));
    assertThat(r.kind()).isEqualTo(ErrorKind.STORAGE_FULL);
    assertThat(r.exitCode()).isEqualTo(6);
    assertThat(r.message()).isEqualTo(line);
    assertThat(r.hint()).contains("checkpoint.path").contains("committed checkpoints are intact");
    assertThat(UserErrors.classify(new java.io.UncheckedIOException("writing the model file"
        + " file:/m.zip: java.io.IOException: No space left on device",
        new java.io.IOException("No space left on device"))).message())
        .as("a class named inside the message stays").isEqualTo("writing the model file"
            + " file:/m.zip: java.io.IOException: No space left on device");
    assertThat(UserErrors.storageIsFull(e)).isTrue();
    assertThat(UserErrors.storageIsFull(new java.io.IOException("Disk quota exceeded"))).isTrue();
    assertThat(UserErrors.storageIsFull(new java.io.IOException("Permission denied"))).isFalse();
  }

  @Test
  void aUserErrorKnownOnlyFromSparksTextIsExtractedWithoutWrappingOrFrames() {
    Throwable skipGuard = diverged();
    SparkException e = new SparkException(STAGE_FAILURE + skipGuard + FRAMES);
    ErrorReport r = UserErrors.classify(new RuntimeException("epoch 2", e));
    assertThat(r.kind()).isEqualTo(ErrorKind.DIVERGED);
    assertThat(r.message()).isEqualTo(skipGuard.getMessage());

    ErrorReport data = UserErrors.classify(new SparkException(STAGE_FAILURE
        + DataFormatException.class.getName() + ": /d/x, byte offset 9: cut" + FRAMES));
    assertThat(data.kind()).isEqualTo(ErrorKind.DATA);
    assertThat(data.message()).isEqualTo("/d/x, byte offset 9: cut");
  }

  @Test
  void aPathThatNamesNoFileIsAConfigurationErrorInTheOperationsWords() {
    ErrorReport r = UserErrors.classify(new java.io.UncheckedIOException("open IDX images file /x"
        + " failed; check the path", new java.io.FileNotFoundException("File /x does not exist")));
    assertThat(r.kind()).isEqualTo(ErrorKind.CONFIGURATION);
    assertThat(r.message()).isEqualTo("open IDX images file /x failed; check the path");
    assertThat(UserErrors.classify(new java.io.UncheckedIOException(
        new java.io.IOException("disk full"))).kind()).isEqualTo(ErrorKind.INTERNAL);
  }

  @Test
  void anythingElseIsAnInternalErrorWithItsStackTrace() {
    ErrorReport r = UserErrors.classify(new SparkException(STAGE_FAILURE
        + "java.lang.IllegalStateException: ranks disagree" + FRAMES));
    assertThat(r.kind()).isEqualTo(ErrorKind.INTERNAL);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.message()).startsWith("org.apache.spark.SparkException: Job aborted")
        .endsWith("java.lang.IllegalStateException: ranks disagree");
    assertThat(print(r, false)).startsWith("org.apache.spark.SparkException: Job aborted")
        .contains("\tat ").endsWith("\nspark-zero: error: internal error: " + r.message()
            + "\nspark-zero: hint: this is a bug in spark-zero: please report it with the stack"
            + " trace above\n");
  }

  @Test
  void aUserErrorPrintsOneLinePlusAHintAndItsTraceOnlyWhenVerbose() {
    ErrorReport r = UserErrors.classify(new PlanDoesNotFitException("zero.stage", "too\nbig"));
    assertThat(print(r, false)).isEqualTo("spark-zero: error: option 'zero.stage': too big\n"
        + "spark-zero: hint: " + r.hint() + "\n");
    assertThat(print(r, true)).startsWith(PlanDoesNotFitException.class.getName())
        .contains("\tat ").endsWith("\nspark-zero: error: option 'zero.stage': too big\n"
            + "spark-zero: hint: " + r.hint() + "\n");
    ErrorReport noHint = UserErrors.classify(new ConfigException("k", "bad"));
    assertThat(print(noHint, false)).isEqualTo("spark-zero: error: option 'k': bad\n");
  }

  private static Throwable diverged() {
    LossScale scale = new LossScale(LossScale.Options.fullPrecision(0));
    return catchThrowable(() -> scale.record(false, 7, 1));
  }

  private static String print(ErrorReport r, boolean verbose) {
    StringWriter out = new StringWriter();
    r.print(new PrintWriter(out), verbose);
    return out.toString().replace(System.lineSeparator(), "\n");
  }
}
