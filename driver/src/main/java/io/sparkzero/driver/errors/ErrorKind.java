package io.sparkzero.driver.errors;

/**
 * The kinds of failure the command line tells apart, each with its exit code (README "Exit
 * codes"). A script can tell a problem the operator can fix (2 to 5) from a bug (1); 0 is success.
 */
public enum ErrorKind {
  /** Anything spark-zero did not anticipate: a bug, reported with its stack trace. */
  INTERNAL(1),
  /** A bad option, job file or command line. */
  CONFIGURATION(2),
  /** Input data not in the promised format (a truncated IDX file, a bad Parquet column). */
  DATA(2),
  /** The job's memory plan does not fit the memory one rank may use. */
  PLAN_DOES_NOT_FIT(3),
  /** A committed checkpoint the job needs is damaged. */
  DAMAGED_CHECKPOINT(4),
  /** Training diverged: too many steps in a row had inf or NaN gradients. */
  DIVERGED(5),
  /** A file system the job writes to (checkpoints, offload, outputs) is full or over quota. */
  STORAGE_FULL(6);

  /** The exit code of a run that succeeded. */
  public static final int SUCCESS = 0;

  private final int exitCode;

  ErrorKind(int exitCode) {
    this.exitCode = exitCode;
  }

  /** The process's exit status for this kind of failure. */
  public int exitCode() {
    return exitCode;
  }
}
