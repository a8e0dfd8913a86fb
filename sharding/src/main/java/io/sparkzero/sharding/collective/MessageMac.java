package io.sparkzero.sharding.collective;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The per-message authentication tag of {@code collective.authenticate}: HMAC-SHA256 over the
 * message's header and payload, all {@value #LENGTH} bytes of it (Aeron's frames are 32-byte
 * aligned, so a shorter tag would save nothing), appended to the message. The
 * key is a hash of the job's token, which reaches the executors only through Spark and never
 * travels between ranks, so a sender on the training network that lacks it cannot make a message a
 * rank accepts. Under the tag, besides the message, are the link's stream id and the sender's
 * session id (random for each link of each stage) and the header's operation number, step and
 * offset: a message replayed from another link, another stage or another place in the stream
 * does not verify.
 *
 * <p>One instance per rank thread: {@link Mac} is not thread-safe.
 */
final class MessageMac {
  /** Bytes of the tag after each message. */
  static final int LENGTH = 32;

  private final Mac mac;
  private final byte[] expected = new byte[LENGTH];
  private final byte[] received = new byte[LENGTH];
  private byte[] scratch = new byte[0];
  private final byte[] link = new byte[Long.BYTES];

  /** The tags of one link: {@code streamId} and {@code sessionId} of its publication. */
  MessageMac(long jobToken, int streamId, int sessionId) {
    ByteBuffer.wrap(link).putInt(streamId).putInt(sessionId);
    try {
      byte[] key = CollectiveOptions.digest("spark-zero-mac", jobToken);
      mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }

  /** Writes the tag of {@code buffer[index, index + length)} right after it. */
  void sign(MutableDirectBuffer buffer, int index, int length) {
    compute(buffer, index, length);
    buffer.putBytes(index + length, expected, 0, LENGTH);
  }

  /** Whether {@code buffer[index, index + length)} is followed by its tag. */
  boolean verify(DirectBuffer buffer, int index, int length) {
    compute(buffer, index, length);
    buffer.getBytes(index + length, received, 0, LENGTH);
    int difference = 0; // in constant time, like MessageDigest.isEqual
    for (int i = 0; i < LENGTH; i++) {
      difference |= expected[i] ^ received[i];
    }
    return difference == 0;
  }

  private void compute(DirectBuffer buffer, int index, int length) {
    mac.update(link);
    byte[] array = buffer.byteArray();
    ByteBuffer direct = buffer.byteBuffer();
    if (array != null) {
      mac.update(array, (int) buffer.wrapAdjustment() + index, length);
    } else if (direct != null) {
      int from = (int) buffer.wrapAdjustment() + index;
      mac.update(direct.duplicate().limit(from + length).position(from));
    } else { // a buffer over raw memory
      if (scratch.length < length) {
        scratch = new byte[length];
      }
      buffer.getBytes(index, scratch, 0, length);
      mac.update(scratch, 0, length);
    }
    try {
      mac.doFinal(expected, 0);
    } catch (javax.crypto.ShortBufferException e) {
      throw new IllegalStateException(e);
    }
  }
}
