package io.sparkzero.sharding.collective;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** The tag of {@code collective.authenticate}: what it covers and whose key makes it. */
class MessageMacTest {
  private static final int LENGTH = MessageHeader.LENGTH + 40;

  private static UnsafeBuffer signedMessage(MessageMac mac, UnsafeBuffer buffer, int at) {
    MessageHeader.write(buffer, at, 0x5EED, 3, 1, 64, 4096, Wire.BF16.headerCode());
    for (int i = MessageHeader.LENGTH; i < LENGTH; i++) {
      buffer.putByte(at + i, (byte) i);
    }
    mac.sign(buffer, at, LENGTH);
    return buffer;
  }

  @Test
  void aSignedMessageVerifiesInHeapAndDirectBuffers() {
    MessageMac mac = new MessageMac(42, 7, 9);
    UnsafeBuffer heap = signedMessage(mac, new UnsafeBuffer(new byte[200]), 8);
    // A view into the middle of a direct buffer, as Aeron's log buffers are.
    ByteBuffer direct = ByteBuffer.allocateDirect(400);
    UnsafeBuffer view = signedMessage(mac, new UnsafeBuffer(direct, 100, 200), 16);

    assertThat(mac.verify(heap, 8, LENGTH)).isTrue();
    assertThat(mac.verify(view, 16, LENGTH)).isTrue();
    UnsafeBuffer copy = new UnsafeBuffer(new byte[200]);
    copy.putBytes(0, view, 16, LENGTH + MessageMac.LENGTH);
    assertThat(mac.verify(copy, 0, LENGTH)).as("same bytes, another buffer kind").isTrue();
  }

  @Test
  void changingAnyByteOfHeaderPayloadOrTagFailsVerification() {
    MessageMac mac = new MessageMac(42, 7, 9);
    UnsafeBuffer buffer = signedMessage(mac, new UnsafeBuffer(new byte[200]), 0);
    for (int i = 0; i < LENGTH + MessageMac.LENGTH; i++) {
      byte original = buffer.getByte(i);
      buffer.putByte(i, (byte) (original ^ 1));
      assertThat(mac.verify(buffer, 0, LENGTH)).as("byte %d flipped", i).isFalse();
      buffer.putByte(i, original);
    }
    assertThat(mac.verify(buffer, 0, LENGTH)).isTrue();
  }

  /** The wire field is under the tag: a message cannot be passed off as another wire's. */
  @Test
  void theSameMessageRelabelledToAnotherWireDoesNotVerify() {
    MessageMac mac = new MessageMac(42, 7, 9);
    UnsafeBuffer buffer = signedMessage(mac, new UnsafeBuffer(new byte[200]), 0);
    MessageHeader.write(buffer, 0, 0x5EED, 3, 1, 64, 4096, Wire.FP16.headerCode());

    assertThat(mac.verify(buffer, 0, LENGTH)).isFalse();
  }

  @Test
  void aMessageFromAnotherLinkOrStageDoesNotVerify() {
    UnsafeBuffer buffer =
        signedMessage(new MessageMac(42, 7, 9), new UnsafeBuffer(new byte[200]), 0);

    assertThat(new MessageMac(42, 8, 9).verify(buffer, 0, LENGTH)).as("another stream").isFalse();
    assertThat(new MessageMac(42, 7, 10).verify(buffer, 0, LENGTH)).as("another session").isFalse();
  }

  @Test
  void anotherJobsKeyMakesAnotherTag() {
    UnsafeBuffer buffer = signedMessage(new MessageMac(42, 7, 9), new UnsafeBuffer(new byte[200]), 0);

    assertThat(new MessageMac(43, 7, 9).verify(buffer, 0, LENGTH)).isFalse();
    assertThat(new MessageMac(42, 7, 9).verify(buffer, 0, LENGTH)).isTrue();
  }
}
