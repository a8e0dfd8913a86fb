package io.sparkzero.sharding.collective;

import io.aeron.Aeron;
import io.aeron.ChannelUri;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import java.util.function.LongSupplier;
import org.agrona.CloseHelper;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A rank's two streams in the ring: the one it publishes to its right neighbour and the one it
 * subscribes to from its left neighbour, wired through one {@link Rendezvous} round.
 *
 * <p>Each rank listens on a stream id taken from its driver's correlation counter, unique among all
 * streams of that driver, so stages and concurrent instances never read each other's messages. A
 * link is shared memory when both ends use the same driver (equal {@link AeronRuntime#locality()})
 * and the transport allows it, UDP otherwise. The UDP subscription is opened before the rendezvous
 * because its port is only known once bound; it is dropped again if the left neighbour turns out to
 * be local.
 */
final class RingLink implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RingLink.class);
  private static final java.security.SecureRandom SESSION_IDS = new java.security.SecureRandom();

  final int leftRank;
  final int rightRank;
  final ExclusivePublication toRight;
  final InboundStream fromLeft;
  /** The channel the left neighbour publishes to: {@code aeron:ipc} or the resolved UDP endpoint. */
  final String inboundChannel;

  private RingLink(
      int leftRank, int rightRank, ExclusivePublication toRight, InboundStream fromLeft,
      String inboundChannel) {
    this.leftRank = leftRank;
    this.rightRank = rightRank;
    this.toRight = toRight;
    this.fromLeft = fromLeft;
    this.inboundChannel = inboundChannel;
  }

  /** Meets the other ranks and connects to both neighbours, within {@code options.timeoutMs()}. */
  static RingLink open(Rendezvous rendezvous, CollectiveOptions options, AeronRuntime runtime,
      CollectiveCounters counters, LongSupplier nanoClock) {
    int rank = rendezvous.rank();
    int worldSize = rendezvous.worldSize();
    int left = Math.floorMod(rank - 1, worldSize);
    int right = Math.floorMod(rank + 1, worldSize);
    Aeron aeron = runtime.aeron();
    int streamId = runtime.nextStreamId();
    int sessionId = newSessionId();
    Subscription udp = null;
    Subscription inbound = null;
    ExclusivePublication outbound = null;
    try {
      String endpoint = "";
      if (options.transport() != Transport.IPC) {
        int port = options.udpPort() == 0 ? 0 : options.udpPort() + rank;
        udp = aeron.addSubscription(ChannelUris.udpSubscription(options, port), streamId);
        endpoint = resolvedEndpoint(udp, options, nanoClock);
      }
      PeerInfo self = new PeerInfo(options.wireTag(), options.chunkBytes(), options.authenticate(), streamId, sessionId,
          endpoint, runtime.locality());
      String[] messages = rendezvous.allGather(self.encode());
      PeerInfo leftPeer = PeerInfo.parse(messages[left], left);
      PeerInfo rightPeer = PeerInfo.parse(messages[right], right);
      self.checkCompatible(leftPeer, left);
      self.checkCompatible(rightPeer, right);

      String inboundChannel;
      String sourceHost;
      if (useIpc(options, self, leftPeer, left)) {
        inbound = aeron.addSubscription(ChannelUris.IPC_SUBSCRIPTION, streamId);
        inboundChannel = ChannelUris.IPC_SUBSCRIPTION;
        sourceHost = null;
        CloseHelper.close(udp);
      } else {
        inbound = udp;
        inboundChannel = "aeron:udp?endpoint=" + endpoint;
        sourceHost = sendingHost(leftPeer.udpEndpoint());
      }
      udp = null;
      String channel = useIpc(options, self, rightPeer, right)
          ? ChannelUris.ipcPublication(options, sessionId)
          : ChannelUris.udpPublication(options, rightPeer.udpEndpoint(), sessionId);
      outbound = aeron.addExclusivePublication(channel, rightPeer.streamId());
      InboundStream fromLeft =
          new InboundStream(inbound, leftPeer.sessionId(), sourceHost, left, counters);
      awaitConnected(outbound, fromLeft, left, right, options, nanoClock);
      LOG.info("rank {} of {} on [{}]: from rank {} over {}, to rank {} over {}", rank, worldSize,
          runtime.locality(), left, describe(inboundChannel), right, describe(channel));
      return new RingLink(left, right, outbound, fromLeft, inboundChannel);
    } catch (RuntimeException e) {
      CloseHelper.closeAll(outbound, inbound, udp);
      throw e;
    }
  }

  /**
   * Whether the link to {@code peer} is shared memory: both use one media driver and the transport
   * allows it. Throws when the link cannot work: IPC forced across drivers, or a peer on another
   * host that listens on IPC only or advertises a loopback address.
   */
  static boolean useIpc(CollectiveOptions options, PeerInfo self, PeerInfo peer, int peerRank) {
    boolean local = self.locality().equals(peer.locality());
    if (options.transport() == Transport.IPC && !local) {
      throw new IllegalStateException(CollectiveOptionSpecs.TRANSPORT.key() + "=ipc but rank "
          + peerRank + " uses media driver [" + peer.locality() + "] and this rank ["
          + self.locality() + "]; use auto or udp, or give every rank of a host one "
          + CollectiveOptionSpecs.AERON_DIR.key());
    }
    if (!local && peer.udpEndpoint().isEmpty()) {
      throw new IllegalStateException("rank " + peerRank + " listens on IPC only but runs on media"
          + " driver [" + peer.locality() + "], not this rank's; use transport auto or udp");
    }
    if (!local && !host(peer.locality()).equals(host(self.locality()))
        && isLoopback(peer.udpEndpoint())) {
      throw new IllegalStateException("rank " + peerRank + " runs on host " + host(peer.locality())
          + " but advertises the loopback endpoint " + peer.udpEndpoint() + "; set "
          + CollectiveOptionSpecs.BIND_HOST.key() + " to an address of each host its peers reach");
    }
    return local && options.transport() != Transport.UDP;
  }

  /** {@code ipc} or {@code udp ENDPOINT}, for the log. */
  private static String describe(String channel) {
    ChannelUri uri = ChannelUri.parse(channel);
    return uri.isIpc() ? "ipc" : "udp " + uri.get("endpoint");
  }

  private static String host(String locality) {
    int end = locality.indexOf('|');
    return end < 0 ? locality : locality.substring(0, end);
  }

  private static boolean isLoopback(String endpoint) {
    return endpoint.startsWith("127.") || endpoint.startsWith("localhost:");
  }

  private static String resolvedEndpoint(
      Subscription subscription, CollectiveOptions options, LongSupplier nanoClock) {
    StallWatch wait = new StallWatch(nanoClock, options.timeoutMs());
    wait.restart();
    SleepingMillisIdleStrategy idle = new SleepingMillisIdleStrategy(1);
    while (true) {
      String resolved = subscription.tryResolveChannelEndpointPort();
      if (resolved != null) {
        return ChannelUri.parse(resolved).get("endpoint");
      }
      if (wait.expired()) {
        throw new IllegalStateException("could not bind a UDP subscription on "
            + subscription.channel() + " within " + options.timeoutMs() + " ms; check "
            + CollectiveOptionSpecs.BIND_HOST.key() + " and " + CollectiveOptionSpecs.UDP_PORT.key());
      }
      idle.idle();
    }
  }

  private static void awaitConnected(
      ExclusivePublication outbound, InboundStream inbound, int left, int right,
      CollectiveOptions options, LongSupplier nanoClock) {
    StallWatch wait = new StallWatch(nanoClock, options.timeoutMs());
    wait.restart();
    SleepingMillisIdleStrategy idle = new SleepingMillisIdleStrategy(1);
    while (!outbound.isConnected() || !inbound.isConnected()) {
      if (wait.expired()) {
        boolean rightMissing = !outbound.isConnected();
        throw new CollectiveTimeoutException("connect", rightMissing ? right : left,
            options.timeoutMs(), rightMissing
                ? "its subscription on " + outbound.channel() + " stream " + outbound.streamId()
                    + " never appeared"
                : "its publication to " + inbound.subscription().channel() + " stream "
                    + inbound.subscription().streamId() + " (session " + inbound.sessionId()
                    + ") never appeared");
      }
      idle.idle();
    }
  }

  /**
   * The session id of this rank's publication, announced at the rendezvous: its right neighbour
   * reads that session only. Random, so a stale publication of an earlier stage (same stream id
   * after a restart of the driver) is never taken for this one.
   */
  private static int newSessionId() {
    int id;
    do {
      id = SESSION_IDS.nextInt();
    } while (id == 0);
    return id;
  }

  /**
   * The address a neighbour advertising {@code endpoint} sends from: its publications bind to its
   * {@code collective.bind-host} ({@link ChannelUris#udpPublication}). Null for a wildcard
   * address, which names no single source.
   */
  static String sendingHost(String endpoint) {
    String host = InboundStream.host(endpoint);
    return host.equals("0.0.0.0") || host.equals("::") ? null : host;
  }

  @Override
  public void close() {
    CloseHelper.closeAll(toRight, fromLeft.subscription());
  }
}
