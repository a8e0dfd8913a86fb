package io.sparkzero.driver.errors;

import java.io.PrintWriter;

/**
 * What the command line says about a failed command: one {@code spark-zero: error:} line, at most
 * one {@code spark-zero: hint:} line, and a stack trace only for a bug or with {@code --verbose}.
 * The trace comes first, so that the summary lines are always the last ones on the console.
 *
 * @param kind the kind of failure, which sets the exit code
 * @param message the original failure's message on one line, without Spark's wrapping
 * @param hint what the user can do, or {@code null}
 * @param thrown what was thrown, for the stack trace
 */
public record ErrorReport(ErrorKind kind, String message, String hint, Throwable thrown) {

  /** Prefix of every line the command line writes about a failure. */
  static final String PREFIX = "spark-zero: ";

  /** Writes the report to {@code err}; {@code verbose} adds the stack trace of a user error. */
  public void print(PrintWriter err, boolean verbose) {
    if (thrown != null && (verbose || kind == ErrorKind.INTERNAL)) {
      thrown.printStackTrace(err);
    }
    err.println(PREFIX + "error: " + (kind == ErrorKind.INTERNAL ? "internal error: " : "")
        + message);
    if (hint != null) {
      err.println(PREFIX + "hint: " + hint);
    }
    err.flush();
  }

  /** The exit status the command ends with. */
  public int exitCode() {
    return kind.exitCode();
  }
}
