package io.sparkzero.driver.progress;

import java.io.OutputStream;
import java.io.PrintStream;

/**
 * A terminal's output with one live status line at its bottom: {@link #show} redraws the line in
 * place, and anything else written through {@link #out()} first erases it, so ordinary lines
 * never run into it. The next {@link #show} draws it again below them.
 */
final class StatusLine extends OutputStream {
  /** Return to the line's start and erase it (ANSI "erase in line"). */
  private static final String ERASE = "\r\u001b[K";

  private final PrintStream terminal;
  private final PrintStream out;
  private boolean shown;

  StatusLine(PrintStream terminal) {
    this.terminal = terminal;
    this.out = new PrintStream(this, true);
  }

  /** The stream for ordinary lines. */
  PrintStream out() {
    return out;
  }

  /** Draws {@code text} as the status line, replacing the one shown. */
  synchronized void show(String text) {
    terminal.print(ERASE + text);
    terminal.flush();
    shown = true;
  }

  /** Erases the status line, if one is shown. */
  synchronized void clear() {
    if (shown) {
      terminal.print(ERASE);
      terminal.flush();
      shown = false;
    }
  }

  @Override
  public synchronized void write(int b) {
    clear();
    terminal.write(b);
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) {
    clear();
    terminal.write(b, off, len);
  }

  @Override
  public synchronized void flush() {
    terminal.flush();
  }
}
