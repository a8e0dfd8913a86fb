package io.sparkzero.worker.optim;

import java.io.Serializable;

/**
 * Bytes an offloaded {@link OptimizerState} moved between its tier and its staging buffers during
 * optimizer passes, and the time its I/O thread spent moving them (the tier's own rate, apart from
 * the optimizer's compute). Zero for state kept on the heap.
 */
public record StateTraffic(long readBytes, long readNanos, long writeBytes, long writeNanos)
    implements Serializable {

  /** No traffic: the state is not offloaded. */
  public static final StateTraffic NONE = new StateTraffic(0, 0, 0, 0);

  /** Read rate in bytes per second, 0 when nothing was read. */
  public double readBytesPerS() {
    return readNanos == 0 ? 0 : readBytes * 1e9 / readNanos;
  }

  /** Write rate in bytes per second, 0 when nothing was written. */
  public double writeBytesPerS() {
    return writeNanos == 0 ? 0 : writeBytes * 1e9 / writeNanos;
  }
}
