package io.sparkzero.sharding.collective;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class MessageHeaderTest {

  @Test
  void fieldsReadBackAsWrittenAtAnyOffset() {
    UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
    MessageHeader.write(buffer, 40, 0xCAFE_F00D_DEAD_BEEFL, Long.MAX_VALUE - 1, 7, 123_456, 99,
        Wire.FP16.headerCode());

    assertThat(MessageHeader.token(buffer, 40)).isEqualTo(0xCAFE_F00D_DEAD_BEEFL);
    assertThat(MessageHeader.operation(buffer, 40)).isEqualTo(Long.MAX_VALUE - 1);
    assertThat(MessageHeader.step(buffer, 40)).isEqualTo(7);
    assertThat(MessageHeader.offset(buffer, 40)).isEqualTo(123_456);
    assertThat(MessageHeader.totalLength(buffer, 40)).isEqualTo(99);
    assertThat(MessageHeader.wire(buffer, 40)).isEqualTo(Wire.FP16.headerCode());
  }

  @Test
  void headerIsLittleEndianWhateverTheHost() {
    UnsafeBuffer buffer = new UnsafeBuffer(new byte[MessageHeader.LENGTH]);
    MessageHeader.write(buffer, 0, 1L, 2L, 3, 4, 5, 6);

    assertThat(buffer.byteArray()).containsExactly(1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0,
        3, 0, 0, 0, 4, 0, 0, 0, 5, 0, 0, 0, 6, 0, 0, 0);
  }

  /**
   * The wire field is where the header had a reserved zero: fp32 and byte messages keep the bytes
   * they had before 16-bit wires, and every wire has its own code.
   */
  @Test
  void fp32AndByteMessagesWriteZeroWhereTheFieldWasReserved() {
    assertThat(Wire.FP32.headerCode()).isZero();
    assertThat(MessageHeader.NO_WIRE).isZero();
    assertThat(Arrays.stream(Wire.values()).mapToInt(Wire::headerCode).distinct().count())
        .isEqualTo(Wire.values().length);
    for (Wire wire : Wire.values()) {
      assertThat(Wire.ofHeaderCode(wire.headerCode())).isEqualTo(wire);
    }
    assertThat(Wire.ofHeaderCode(7)).isNull();
    UnsafeBuffer buffer = new UnsafeBuffer(new byte[MessageHeader.LENGTH]);
    MessageHeader.write(buffer, 0, -1L, -1L, -1, -1, -1, Wire.FP32.headerCode());
    assertThat(Arrays.copyOfRange(buffer.byteArray(), 28, 32)).containsOnly(0);
  }

  @Test
  void headerKeepsThePayloadThirtyTwoByteAligned() {
    assertThat(MessageHeader.LENGTH % 32).isZero();
  }

  @Test
  void positionsOrderByOperationThenStepThenOffset() {
    assertThat(MessageHeader.compare(1, 9, 9, 2, 0, 0)).isNegative();
    assertThat(MessageHeader.compare(2, 1, 0, 2, 0, 500)).isPositive();
    assertThat(MessageHeader.compare(2, 1, 64, 2, 1, 128)).isNegative();
    assertThat(MessageHeader.compare(2, 1, 64, 2, 1, 64)).isZero();
  }
}
