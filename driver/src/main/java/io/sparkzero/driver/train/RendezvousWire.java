package io.sparkzero.driver.train;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The frames of the driver's rendezvous ({@link RendezvousServer}, {@link DriverRendezvous}):
 * length-prefixed UTF-8 strings and ints, each frame closed by an HMAC-SHA256 tag under a key
 * derived from the job's token, so that only the job's own ranks can join a gathering or feed one
 * its peers' addresses.
 *
 * <pre>
 * request:  MAGIC, key, rank, world size, message, tag(key, rank, world size, message)
 * reply:    OK, n, message * n, tag(key, messages)  |  FAILED, reason
 * </pre>
 */
final class RendezvousWire {
  static final int MAGIC = 0x535a5256; // "SZRV"
  static final int OK = 0;
  static final int FAILED = 1;
  /** Longest string a frame may carry: far above a rank's address record. */
  static final int MAX_STRING_BYTES = 1 << 16;
  static final int TAG_BYTES = 32;

  private final SecretKeySpec key;

  RendezvousWire(byte[] key) {
    this.key = new SecretKeySpec(key, "HmacSHA256");
  }

  /** The tag of a request. */
  byte[] requestTag(String gathering, int rank, int worldSize, String message) {
    Mac mac = mac();
    update(mac, gathering);
    mac.update(intBytes(rank));
    mac.update(intBytes(worldSize));
    update(mac, message);
    return mac.doFinal();
  }

  /** The tag of a reply. */
  byte[] replyTag(String gathering, String[] messages) {
    Mac mac = mac();
    update(mac, gathering);
    mac.update(intBytes(messages.length));
    for (String m : messages) {
      update(mac, m);
    }
    return mac.doFinal();
  }

  /** Whether {@code tag} is {@code expected}, compared in constant time. */
  static boolean matches(byte[] expected, byte[] tag) {
    return MessageDigest.isEqual(expected, tag);
  }

  static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  static String readString(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > MAX_STRING_BYTES) {
      throw new IOException("a rendezvous frame announces a string of " + length + " bytes; at"
          + " most " + MAX_STRING_BYTES + " are allowed");
    }
    byte[] bytes = in.readNBytes(length);
    if (bytes.length != length) {
      throw new IOException("a rendezvous frame ended after " + bytes.length + " of " + length
          + " bytes");
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  static byte[] readTag(DataInputStream in) throws IOException {
    byte[] tag = in.readNBytes(TAG_BYTES);
    if (tag.length != TAG_BYTES) {
      throw new IOException("a rendezvous frame ended inside its tag");
    }
    return tag;
  }

  private Mac mac() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }

  private static void update(Mac mac, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    mac.update(intBytes(bytes.length));
    mac.update(bytes);
  }

  private static byte[] intBytes(int v) {
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }
}
