package io.sparkzero.sharding.collective;

/** A peer did not answer within the collective timeout. Names the silent rank. */
public final class CollectiveTimeoutException extends RuntimeException {
  private final int peerRank;

  public CollectiveTimeoutException(String operation, int peerRank, long timeoutMs, String detail) {
    super(operation + ": rank " + peerRank + " did not answer within " + timeoutMs + " ms"
        + (detail.isEmpty() ? "" : " (" + detail + ")")
        + "; check that executor's log, or raise collective.timeout-ms");
    this.peerRank = peerRank;
  }

  /** The rank that did not answer. */
  public int peerRank() {
    return peerRank;
  }
}
