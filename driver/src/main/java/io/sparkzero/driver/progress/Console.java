package io.sparkzero.driver.progress;

import java.io.PrintStream;

/**
 * Where a run's messages go: a plain stream (a log, CI, a test), or a terminal, which also gets a
 * live progress line kept below the messages.
 */
public final class Console {
  private final PrintStream out;
  private final StatusLine status; // null: no live line

  private Console(PrintStream out, StatusLine status) {
    this.out = out;
    this.status = status;
  }

  /** Messages on {@code out}; progress as plain lines. */
  public static Console plain(PrintStream out) {
    return new Console(out, null);
  }

  /** Standard output: with a live line when it is an interactive terminal, else plain. */
  public static Console system() {
    boolean terminal = System.console() != null && !"dumb".equals(System.getenv("TERM"));
    if (!terminal) {
      return plain(System.out);
    }
    StatusLine status = new StatusLine(System.out);
    return new Console(status.out(), status);
  }

  /** The stream for messages (on a terminal, writing erases the live line first). */
  public PrintStream out() {
    return out;
  }

  /** The live line, or null without a terminal. */
  StatusLine status() {
    return status;
  }
}
