package io.sparkzero.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The header codec and the offsets a reader computes from a header. */
class HeaderCodecTest {
  private static final ShardHeader HEADER = new ShardHeader(3, 100, 113,
      List.of("params", "opt.0", "momentum-β"), new byte[] {1, 2, 3});

  @Test
  void headerRoundTripsWithItsBlockSizeAndCrc() {
    byte[] bytes = HeaderCodec.encode(HEADER, 5);

    HeaderCodec.Decoded decoded = HeaderCodec.decode(bytes, "f");

    assertThat(decoded.header()).usingRecursiveComparison().isEqualTo(HEADER);
    assertThat(decoded.header().meta()).containsExactly(1, 2, 3);
    assertThat(decoded.blockFloats()).isEqualTo(5);
    assertThat(decoded.crc32c())
        .isEqualTo(ShardFormat.crc32c(bytes, 0, bytes.length - ShardFormat.CRC_BYTES));
    assertThat(HeaderCodec.headerBytes(Arrays.copyOf(bytes, ShardFormat.PREFIX_BYTES), "f"))
        .isEqualTo(bytes.length);
  }

  @Test
  void layoutPutsEachBlockAfterThePreviousOnesAndTheirCrcs() {
    ShardLayout layout = HeaderCodec.decode(HeaderCodec.encode(HEADER, 5), "f").layout();
    long h = layout.dataOffsetBytes();

    // 13 elements in blocks of 5: 5, 5, 3 floats, each followed by 4 CRC bytes.
    assertThat(layout.blocksPerArray()).isEqualTo(3);
    assertThat(layout.blockLength(2)).isEqualTo(3);
    assertThat(layout.arrayBytes()).isEqualTo(13 * 4 + 3 * 4);
    assertThat(layout.blockOffset(0, 1)).isEqualTo(h + 24);
    assertThat(layout.blockOffset(2, 2)).isEqualTo(h + 2 * 64 + 48);
    assertThat(layout.totalBytes()).isEqualTo(h + 3 * 64 + ShardFormat.TRAILER_BYTES);
    assertThat(new ShardLayout(40, 2, 0, 5).totalBytes()).isEqualTo(40 + ShardFormat.TRAILER_BYTES);
  }

  @Test
  void badMagicVersionOrLengthAreNamedWithTheirOffset() {
    byte[] bytes = HeaderCodec.encode(HEADER, 5);
    ByteBuffer buf = ByteBuffer.wrap(bytes.clone()).order(ByteOrder.LITTLE_ENDIAN);

    byte[] magic = bytes.clone();
    magic[3] = 'X';
    assertThatThrownBy(() -> HeaderCodec.decode(magic, "f"))
        .isInstanceOf(CheckpointCorruptException.class)
        .hasMessageContaining("f at byte 0: bad magic");
    byte[] version = buf.putInt(8, 7).array().clone();
    assertThatThrownBy(() -> HeaderCodec.decode(version, "f"))
        .hasMessageContaining("f at byte 8: unsupported shard format version 7");
    byte[] length = buf.putInt(8, 1).putInt(12, Integer.MAX_VALUE).array();
    assertThatThrownBy(() -> HeaderCodec.decode(length, "f"))
        .hasMessageContaining("f at byte 12: header length 2147483647 is out of range");
  }

  @Test
  void headerFieldsAreValidatedBeforeWriting() {
    assertThatThrownBy(() -> new ShardHeader(0, 5, 4, List.of("a"), new byte[0]))
        .hasMessageContaining("expected rank >= 0 and 0 <= from <= to");
    assertThatThrownBy(() -> new ShardHeader(0, 0, 4, List.of("a", "a"), new byte[0]))
        .hasMessageContaining("repeat a name");
    assertThatThrownBy(() -> new ShardHeader(0, 0, 4, List.of("a"),
        new byte[ShardHeader.META_MAX_BYTES + 1])).hasMessageContaining("meta must be");
  }
}
