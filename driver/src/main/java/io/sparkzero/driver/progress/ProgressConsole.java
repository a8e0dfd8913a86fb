package io.sparkzero.driver.progress;

import io.sparkzero.worker.train.StepMetrics;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Training progress on the console. On a terminal, one live line redrawn as steps arrive; without
 * one (a log file, CI), a plain line every {@code intervalMs}. Both show the step within the
 * epoch, the loss, samples/s, the learning rate, and the epoch's and the job's time to go.
 * Called on the monitor's thread only.
 */
final class ProgressConsole {
  private final StatusLine terminal; // null: plain lines
  private final PrintStream plain;
  private final long intervalMs;
  private long lastPlainMs;

  private ProgressConsole(StatusLine terminal, PrintStream plain, long intervalMs) {
    this.terminal = terminal;
    this.plain = plain;
    this.intervalMs = intervalMs;
  }

  /** A live line on {@code status}. */
  static ProgressConsole live(StatusLine status) {
    return new ProgressConsole(status, null, 0);
  }

  /** Plain lines on {@code out}, at most one per {@code intervalMs}; none when it is 0. */
  static ProgressConsole lines(PrintStream out, long intervalMs) {
    return new ProgressConsole(null, out, intervalMs);
  }

  /** Shows the newest step, with {@code eta} from the steps so far. */
  void step(StepMetrics m, int epochs, Eta eta) {
    if (terminal != null) {
      terminal.show(describe(m, epochs, eta));
    } else if (intervalMs > 0 && m.timeMs() - lastPlainMs >= intervalMs) {
      lastPlainMs = m.timeMs();
      plain.println("spark-zero: " + describe(m, epochs, eta));
    }
  }

  /** Removes the live line (an epoch ended: its summary line follows). */
  void clear() {
    if (terminal != null) {
      terminal.clear();
    }
  }

  static String describe(StepMetrics m, int epochs, Eta eta) {
    return String.format(Locale.ROOT, "epoch %d/%d step %d/%d (%d%%): loss %.4f, %,.0f samples/s,"
            + " lr %.3g; ETA epoch %s, job %s", m.epoch() + 1, epochs, m.step() + 1,
        m.stepsInEpoch(), 100L * (m.step() + 1) / m.stepsInEpoch(), m.loss(),
        m.samplesPerSecond(), m.learningRate(), clock(eta.epochMs()), clock(eta.jobMs()));
  }

  /** {@code h:mm:ss}, or {@code m:ss} under an hour; "?" when not known yet. */
  static String clock(long ms) {
    if (ms < 0) {
      return "?";
    }
    long s = (ms + 500) / 1000;
    return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
