package io.sparkzero.sharding.collective;

/**
 * Counters of one {@link Collectives} instance.
 *
 * @param bytesSent payload bytes this rank offered to its peers
 * @param bytesReceived payload bytes this rank accepted from its peers
 * @param messagesDroppedBadToken messages received with another job's token, dropped unread
 * @param streamsRefused streams on this rank's port and stream id other than the one its left
 *     neighbour announced (another session or source address), never read
 * @param messagesDroppedBadMac messages whose authentication tag was wrong ({@code
 *     collective.authenticate}), dropped unread
 * @param backPressureRetries offers retried because the stream was back-pressured
 * @param nanosInCollectives wall time spent inside collective calls
 */
public record CollectiveStats(
    long bytesSent,
    long bytesReceived,
    long messagesDroppedBadToken,
    long streamsRefused,
    long messagesDroppedBadMac,
    long backPressureRetries,
    long nanosInCollectives) {}
