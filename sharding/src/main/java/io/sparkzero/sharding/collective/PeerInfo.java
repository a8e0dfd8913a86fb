package io.sparkzero.sharding.collective;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * What a rank tells its peers through the {@link Rendezvous} before the ring is wired: the job it
 * belongs to, its chunk size, the stream it listens on and where (the media driver it shares, or a
 * UDP endpoint).
 *
 * @param jobTag the job's {@link CollectiveOptions#wireTag()}; ranks of different jobs must not be
 *     wired together
 * @param chunkBytes the rank's chunk size; all ranks must agree
 * @param authenticate whether the rank tags its messages ({@code collective.authenticate}); all
 *     ranks must agree
 * @param streamId the stream id the rank subscribes to
 * @param sessionId the session id of the rank's publication to its right neighbour, the only
 *     stream that neighbour reads
 * @param udpEndpoint {@code host:port} of its UDP subscription, empty when it listens on IPC only
 * @param locality the rank's media driver, see {@link AeronRuntime#locality()}
 */
record PeerInfo(long jobTag, int chunkBytes, boolean authenticate, int streamId, int sessionId, String udpEndpoint,
    String locality) {
  private static final String VERSION = "spark-zero-ring-2";

  String encode() {
    return VERSION + "&tag=" + Long.toHexString(jobTag) + "&chunk=" + chunkBytes + "&mac=" + authenticate
        + "&stream=" + streamId + "&session=" + sessionId + "&endpoint=" + encode(udpEndpoint)
        + "&locality=" + encode(locality);
  }

  /** Parses the message of rank {@code rank}, naming it when the message is not one of ours. */
  static PeerInfo parse(String message, int rank) {
    String[] parts = message.split("&", -1);
    if (parts.length != 8 || !parts[0].equals(VERSION)) {
      throw new IllegalStateException("rank " + rank + " sent an unexpected rendezvous message '"
          + message + "'; every rank must run the same spark-zero version");
    }
    Map<String, String> fields = new HashMap<>();
    for (int i = 1; i < parts.length; i++) {
      int eq = parts[i].indexOf('=');
      fields.put(parts[i].substring(0, eq), URLDecoder.decode(parts[i].substring(eq + 1),
          StandardCharsets.UTF_8));
    }
    return new PeerInfo(
        Long.parseUnsignedLong(fields.get("tag"), 16),
        Integer.parseInt(fields.get("chunk")),
        Boolean.parseBoolean(fields.get("mac")),
        Integer.parseInt(fields.get("stream")),
        Integer.parseInt(fields.get("session")),
        fields.get("endpoint"),
        fields.get("locality"));
  }

  /** Throws unless {@code peer} (rank {@code peerRank}) can be wired to a rank described by this. */
  void checkCompatible(PeerInfo peer, int peerRank) {
    if (peer.jobTag != jobTag) {
      throw new IllegalStateException("rank " + peerRank + " belongs to the job tagged "
          + Long.toHexString(peer.jobTag) + " but this rank to " + Long.toHexString(jobTag)
          + "; ranks of different jobs met in one rendezvous");
    }
    if (peer.chunkBytes != chunkBytes) {
      throw new IllegalStateException("rank " + peerRank + " uses "
          + CollectiveOptionSpecs.CHUNK_BYTES.key() + "=" + peer.chunkBytes + " but this rank "
          + chunkBytes + "; give every rank the same collective options");
    }
    if (peer.authenticate != authenticate) {
      throw new IllegalStateException("rank " + peerRank + " uses "
          + CollectiveOptionSpecs.AUTHENTICATE.key() + "=" + peer.authenticate + " but this rank "
          + authenticate + "; give every rank the same collective options");
    }
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
