package io.sparkzero.sharding.collective;

/**
 * The running counters behind {@link CollectiveStats}. Updated only by the rank's own thread (the
 * one calling the collectives), so plain fields suffice.
 */
final class CollectiveCounters {
  long bytesSent;
  long bytesReceived;
  long messagesDroppedBadToken;
  long streamsRefused;
  long messagesDroppedBadMac;
  long backPressureRetries;
  long nanosInCollectives;

  CollectiveStats snapshot() {
    return new CollectiveStats(
        bytesSent, bytesReceived, messagesDroppedBadToken, streamsRefused, messagesDroppedBadMac,
        backPressureRetries,
        nanosInCollectives);
  }
}
