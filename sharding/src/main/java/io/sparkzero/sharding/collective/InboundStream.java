package io.sparkzero.sharding.collective;

import io.aeron.Image;
import io.aeron.Subscription;
import io.aeron.logbuffer.ControlledFragmentHandler;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A rank's subscription from its left neighbour, pinned to the one stream that neighbour announced
 * at the rendezvous: its publication's session id and, over UDP, the address it sends from (its
 * {@code collective.bind-host}). Any other stream on the same port and stream id, whoever sends it,
 * is never read; it is counted ({@link CollectiveStats#streamsRefused()}) and logged once.
 */
final class InboundStream {
  private static final Logger LOG = LoggerFactory.getLogger(InboundStream.class);

  private final Subscription subscription;
  private final int sessionId;
  /** The IP address the left neighbour sends from; null over IPC, where only the host's driver can. */
  private final String sourceHost;
  private final int leftRank;
  private final CollectiveCounters counters;
  private final Set<Long> refused = new HashSet<>();
  private Image image;
  private int scannedCount;

  InboundStream(Subscription subscription, int sessionId, String sourceHost, int leftRank,
      CollectiveCounters counters) {
    this.subscription = subscription;
    this.sessionId = sessionId;
    this.sourceHost = sourceHost;
    this.leftRank = leftRank;
    this.counters = counters;
  }

  /** Polls the pinned stream (nothing while it is not connected); returns the fragments read. */
  int controlledPoll(ControlledFragmentHandler handler, int fragmentLimit) {
    Image pinned = pinned();
    return pinned == null ? 0 : pinned.controlledPoll(handler, fragmentLimit);
  }

  /** Whether the left neighbour's announced stream is connected. */
  boolean isConnected() {
    return pinned() != null;
  }

  Subscription subscription() {
    return subscription;
  }

  /** The session id the left neighbour announced. */
  int sessionId() {
    return sessionId;
  }

  /**
   * The image of the announced stream, looked up again when the last one closed (a publisher that
   * went silent past the liveness timeout comes back as a new image of the same session) or the
   * subscription's images changed (to refuse a newcomer at once).
   */
  private Image pinned() {
    int count = subscription.imageCount();
    if (image != null && !image.isClosed() && count == scannedCount) {
      return image;
    }
    image = null;
    scannedCount = count;
    for (int i = 0; i < count; i++) {
      Image candidate;
      try {
        candidate = subscription.imageAtIndex(i);
      } catch (IndexOutOfBoundsException e) {
        break; // an image went away while looking
      }
      if (matches(candidate)) {
        image = candidate;
      } else if (refused.add(candidate.correlationId())) {
        counters.streamsRefused++;
        LOG.warn("rank {}'s left neighbour announced session {}{}; refusing a stream of session"
            + " {} from {} on {} stream {}", leftRank, sessionId,
            sourceHost == null ? "" : " from " + sourceHost, candidate.sessionId(),
            candidate.sourceIdentity(), subscription.channel(), subscription.streamId());
      }
    }
    return image;
  }

  private boolean matches(Image candidate) {
    return candidate.sessionId() == sessionId
        && (sourceHost == null || sourceHost.equals(host(candidate.sourceIdentity())));
  }

  /** The address part of an Aeron source identity {@code ip:port} ({@code [v6]:port} for IPv6). */
  static String host(String sourceIdentity) {
    int colon = sourceIdentity.lastIndexOf(':');
    String host = colon < 0 ? sourceIdentity : sourceIdentity.substring(0, colon);
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }
}
