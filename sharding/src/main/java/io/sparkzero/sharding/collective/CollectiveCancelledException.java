package io.sparkzero.sharding.collective;

/** A collective stopped waiting because its rank's work was cancelled ({@link Collectives#cancel}). */
public final class CollectiveCancelledException extends RuntimeException {
  public CollectiveCancelledException(String operation, String reason) {
    super(operation + ": cancelled (" + reason + ")");
  }
}
