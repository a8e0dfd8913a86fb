package io.sparkzero.bench.model;

import io.sparkzero.worker.model.LayerHooks;
import java.util.function.LongSupplier;

/**
 * {@link LayerHooks} that note when each unit's forward and backward start and end, in {@link
 * System#nanoTime} nanoseconds (or an injected clock's), overwritten by every pass. The hooks
 * allocate nothing: they run inside the pass's workspaces.
 */
final class LayerClock implements LayerHooks {
  private final LongSupplier clockNs;
  private final long[] forwardStartNs;
  private final long[] forwardEndNs;
  private final long[] backwardStartNs;
  private final long[] backwardEndNs;

  LayerClock(int units) {
    this(units, System::nanoTime);
  }

  LayerClock(int units, LongSupplier clockNs) {
    this.clockNs = clockNs;
    forwardStartNs = new long[units];
    forwardEndNs = new long[units];
    backwardStartNs = new long[units];
    backwardEndNs = new long[units];
  }

  @Override
  public void beforeForward(int unit) {
    forwardStartNs[unit] = clockNs.getAsLong();
  }

  @Override
  public void afterForward(int unit) {
    forwardEndNs[unit] = clockNs.getAsLong();
  }

  @Override
  public void beforeBackward(int unit) {
    backwardStartNs[unit] = clockNs.getAsLong();
  }

  @Override
  public void afterBackward(int unit) {
    backwardEndNs[unit] = clockNs.getAsLong();
  }

  long forwardStartNs(int unit) {
    return forwardStartNs[unit];
  }

  long forwardEndNs(int unit) {
    return forwardEndNs[unit];
  }

  long backwardStartNs(int unit) {
    return backwardStartNs[unit];
  }

  long backwardEndNs(int unit) {
    return backwardEndNs[unit];
  }
}
