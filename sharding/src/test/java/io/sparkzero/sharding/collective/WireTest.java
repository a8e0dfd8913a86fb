package io.sparkzero.sharding.collective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WireTest {

  @Test
  void namesAndElementSizes() {
    assertThat(Wire.values()).containsExactly(Wire.FP32, Wire.BF16, Wire.FP16);
    assertThat(Wire.FP32.configValue()).isEqualTo("fp32");
    assertThat(Wire.BF16.configValue()).isEqualTo("bf16");
    assertThat(Wire.FP16.configValue()).isEqualTo("fp16");
    assertThat(Wire.FP32.bytesPerElement()).isEqualTo(4);
    assertThat(Wire.BF16.bytesPerElement()).isEqualTo(2);
    assertThat(Wire.FP16.bytesPerElement()).isEqualTo(2);
  }

  @Test
  void namedReadsEveryConfigValueInAnyCase() {
    for (Wire wire : Wire.values()) {
      assertThat(Wire.named(wire.configValue())).isEqualTo(wire);
    }
    assertThat(Wire.named(" BF16 ")).isEqualTo(Wire.BF16);
  }

  @Test
  void anUnknownNameFailsListingTheAllowedOnesOnOneLine() {
    assertThatThrownBy(() -> Wire.named("fp8"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown wire 'fp8': expected one of fp32, bf16, fp16");
    assertThatThrownBy(() -> Wire.named(null))
        .hasMessage("unknown wire 'null': expected one of fp32, bf16, fp16");
  }
}
