package io.sparkzero.sharding.collective;

/**
 * Set from any thread to make the rank's waits fail now rather than at the collective timeout:
 * when the rank's peer is known to be gone (its executor died), waiting the full timeout only
 * delays the relaunch.
 */
final class Cancellation {
  private volatile String reason;

  void cancel(String why) {
    if (reason == null) {
      reason = why;
    }
  }

  /** Throws {@link CollectiveCancelledException} once {@link #cancel} was called. */
  void throwIfCancelled(String operation) {
    String why = reason;
    if (why != null) {
      throw new CollectiveCancelledException(operation, why);
    }
  }
}
