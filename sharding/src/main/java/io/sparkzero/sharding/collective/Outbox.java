package io.sparkzero.sharding.collective;

import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.logbuffer.BufferClaim;
import org.agrona.MutableDirectBuffer;

/**
 * This rank's stream to its right neighbour. Messages are written in place into the log buffer
 * ({@code tryClaim}), so a chunk is copied once, from the caller's array into shared memory.
 *
 * <p>A refused claim never blocks: the caller keeps polling its own inbox meanwhile, which is what
 * keeps a ring of back-pressured ranks from deadlocking. Refusals that last longer than the timeout
 * end in {@link CollectiveTimeoutException} naming the right neighbour.
 */
final class Outbox {
  private final ExclusivePublication publication;
  private final BufferClaim claim = new BufferClaim();
  private final long jobToken;
  private final int rightRank;
  private final long timeoutMs;
  private final CollectiveCounters counters;
  private final StallWatch refused;
  private final Cancellation cancellation;
  private long lastRefusal;
  /** Signs each message when {@code collective.authenticate} is on; else null. */
  private final MessageMac mac;
  private int claimedAt;

  Outbox(
      ExclusivePublication publication, long jobToken, int rightRank, long timeoutMs,
      CollectiveCounters counters, StallWatch refused, Cancellation cancellation, MessageMac mac) {
    this.mac = mac;
    this.publication = publication;
    this.jobToken = jobToken;
    this.rightRank = rightRank;
    this.timeoutMs = timeoutMs;
    this.counters = counters;
    this.refused = refused;
    this.cancellation = cancellation;
  }

  /**
   * Claims room for one message and writes its header ({@code wire}: {@link Wire#headerCode()}, or
   * {@link MessageHeader#NO_WIRE}). Returns the index in {@link #buffer()} where {@code
   * payloadBytes} of payload go before {@link #commit}, or -1 when the stream cannot take the
   * message now (try again later).
   */
  int tryClaim(
      long operation, int step, int offset, int totalLength, int wire, int payloadBytes) {
    long result = publication.tryClaim(
        MessageHeader.LENGTH + payloadBytes + (mac == null ? 0 : MessageMac.LENGTH), claim);
    if (result > 0) {
      refused.clear();
      claimedAt = claim.offset();
      MessageHeader.write(
          claim.buffer(), claim.offset(), jobToken, operation, step, offset, totalLength, wire);
      return claim.offset() + MessageHeader.LENGTH;
    }
    onRefused(result);
    return -1;
  }

  /**
   * The bytes of messages this stream holds before the right neighbour must read some: Aeron lets
   * a publisher run half a term ahead of its subscriber.
   */
  int windowBytes() {
    return publication.termBufferLength() / 2;
  }

  /** The log buffer holding the claimed message. */
  MutableDirectBuffer buffer() {
    return claim.buffer();
  }

  /** Publishes the claimed message. */
  void commit(int payloadBytes) {
    if (mac != null) {
      mac.sign(claim.buffer(), claimedAt, MessageHeader.LENGTH + payloadBytes);
    }
    claim.commit();
    counters.bytesSent += payloadBytes;
  }

  private void onRefused(long result) {
    if (result == Publication.BACK_PRESSURED || result == Publication.ADMIN_ACTION) {
      counters.backPressureRetries++;
    } else if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED) {
      // Waiting cannot help: the stream is gone (closed instance or a lost media driver) or full.
      throw new IllegalStateException("stream to rank " + rightRank + " on " + publication.channel()
          + " stream " + publication.streamId() + " is " + describe(result)
          + "; create a new Collectives instance (check the media driver is alive)");
    }
    lastRefusal = result;
    refused.startIfIdle();
  }

  /** Throws {@link CollectiveTimeoutException} when sends have been refused for too long. */
  void checkStalled(String operation) {
    cancellation.throwIfCancelled(operation); // every wait of the ring loops passes here
    if (refused.expired()) {
      throw new CollectiveTimeoutException(operation, rightRank, timeoutMs,
          "sending to it: the stream stayed " + describe(lastRefusal));
    }
  }

  private static String describe(long result) {
    if (result == Publication.NOT_CONNECTED) {
      return "not connected";
    } else if (result == Publication.BACK_PRESSURED) {
      return "back-pressured (the rank is not reading)";
    } else if (result == Publication.ADMIN_ACTION) {
      return "in admin action";
    } else if (result == Publication.CLOSED) {
      return "closed";
    } else if (result == Publication.MAX_POSITION_EXCEEDED) {
      return "at its maximum position";
    }
    return "refused (" + result + ")";
  }
}
