package io.sparkzero.sharding.collective;

/**
 * Counters of one {@link Collectives} instance.
 *
 * @param bytesSent payload bytes this rank offered to its peers
 * @param bytesReceived payload bytes this rank accepted from its peers
 * @param messagesDroppedBadToken messages received with another job's token, dropped unread
 * @param backPressureRetries offers retried because the stream was back-pressured
 * @param nanosInCollectives wall time spent inside collective calls
 */
public record CollectiveStats(
    long bytesSent,
    long bytesReceived,
    long messagesDroppedBadToken,
    long backPressureRetries,
    long nanosInCollectives) {}
