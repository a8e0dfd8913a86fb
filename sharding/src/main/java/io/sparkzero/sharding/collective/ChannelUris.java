package io.sparkzero.sharding.collective;

import io.aeron.ChannelUriStringBuilder;

/**
 * Aeron channel strings of the ring streams. Stream settings travel in the channel rather than in
 * the media driver's defaults because the driver may have been started by another executor with
 * other settings; the publisher's channel decides the term length and MTU of a stream.
 */
final class ChannelUris {
  /** What a rank subscribes to when its left neighbour shares its media driver. */
  static final String IPC_SUBSCRIPTION = "aeron:ipc";

  private ChannelUris() {}

  static String ipcPublication(CollectiveOptions options, int sessionId) {
    return new ChannelUriStringBuilder()
        .media("ipc")
        .sessionId(sessionId)
        .termLength(options.ipcTermBytes())
        .mtu(options.mtuBytes())
        .build();
  }

  /** Port 0 asks the OS for a free one; the resolved endpoint is then advertised to peers. */
  static String udpSubscription(CollectiveOptions options, int port) {
    return new ChannelUriStringBuilder()
        .media("udp")
        .endpoint(BindAddress.resolve(options.bindHost(), null) + ":" + port)
        .socketRcvbufLength(options.udpSocketBufferBytes())
        .receiverWindowLength(Math.min(options.udpSocketBufferBytes(), options.udpTermBytes() / 2))
        .build();
  }

  /**
   * Sends from the rank's own bind address ({@code interface}), the source its right neighbour
   * pinned at the rendezvous, whatever address the route to the neighbour would pick.
   */
  static String udpPublication(CollectiveOptions options, String endpoint, int sessionId) {
    return new ChannelUriStringBuilder()
        .media("udp")
        .endpoint(endpoint)
        .networkInterface(BindAddress.resolve(options.bindHost(), null))
        .sessionId(sessionId)
        .termLength(options.udpTermBytes())
        .mtu(options.mtuBytes())
        .socketSndbufLength(options.udpSocketBufferBytes())
        .build();
  }
}
