package io.sparkzero.sharding.collective;

import java.util.function.LongSupplier;

/**
 * Measures how long something has waited without progress, on an injectable nanosecond clock so a
 * test can make time pass without sleeping.
 */
final class StallWatch {
  private final LongSupplier nanoClock;
  private final long timeoutNs;
  private long sinceNs;
  private boolean waiting;

  StallWatch(LongSupplier nanoClock, long timeoutMs) {
    this.nanoClock = nanoClock;
    this.timeoutNs = timeoutMs * 1_000_000L;
  }

  /** Starts (or restarts) the wait now. */
  void restart() {
    sinceNs = nanoClock.getAsLong();
    waiting = true;
  }

  /** Starts the wait unless it is already running, so repeated failures keep the first time. */
  void startIfIdle() {
    if (!waiting) {
      restart();
    }
  }

  /** Progress was made: no wait is running. */
  void clear() {
    waiting = false;
  }

  /** True when a wait is running and has lasted longer than the timeout. */
  boolean expired() {
    return waiting && nanoClock.getAsLong() - sinceNs > timeoutNs;
  }
}
