package io.sparkzero.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CheckpointOptionsTest {

  @Test
  void defaultsAreOneMibBlocksAndBuffer() {
    assertThat(CheckpointOptions.DEFAULTS.blockFloats() * Float.BYTES).isEqualTo(1 << 20);
    assertThat(CheckpointOptions.DEFAULTS.writeBufferBytes()).isEqualTo(1 << 20);
  }

  @Test
  void valuesOutOfRangeAreNamed() {
    assertThatThrownBy(() -> CheckpointOptions.withBlockFloats(0))
        .hasMessage("checkpoint blockFloats=0 is not allowed: expected 1..16777216");
    assertThatThrownBy(() -> new CheckpointOptions(5, 100))
        .hasMessage("checkpoint writeBufferBytes=100 is not allowed: expected 512..268435456");
  }
}
