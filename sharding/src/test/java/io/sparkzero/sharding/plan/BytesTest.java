package io.sparkzero.sharding.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BytesTest {
  private static final long MIB = 1L << 20;

  @Test
  void smallCountsAreWholeBytes() {
    assertThat(Bytes.format(0)).isEqualTo("0 B");
    assertThat(Bytes.format(1)).isEqualTo("1 B");
    assertThat(Bytes.format(1023)).isEqualTo("1023 B");
  }

  @Test
  void largerCountsTakeOneDecimalInTheLargestFittingBinaryUnit() {
    assertThat(Bytes.format(1024)).isEqualTo("1.0 KiB");
    assertThat(Bytes.format(1536)).isEqualTo("1.5 KiB");
    assertThat(Bytes.format(320 * MIB)).isEqualTo("320.0 MiB");
    assertThat(Bytes.format(1280 * MIB)).isEqualTo("1.3 GiB");
    assertThat(Bytes.format(120_000_000_000L)).isEqualTo("111.8 GiB");
    assertThat(Bytes.format(5L << 40)).isEqualTo("5.0 TiB");
    assertThat(Bytes.format(Long.MAX_VALUE)).isEqualTo("8.0 EiB");
  }

  @Test
  void aValueThatRoundsTo1024MovesUpOneUnit() {
    assertThat(Bytes.format(MIB - 1)).isEqualTo("1.0 MiB");
    assertThat(Bytes.format(1023 * MIB + 900 * 1024)).isEqualTo("1023.9 MiB");
    assertThat(Bytes.format(1023 * MIB + 1000 * 1024)).isEqualTo("1.0 GiB");
  }

  @Test
  void negativeCountsAreRefused() {
    assertThatThrownBy(() -> Bytes.format(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a byte count cannot be negative, got -1");
  }
}
