package io.sparkzero.worker.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class TrainerStateMetaTest {

  @Test
  void versionOneMetadataReadsAsScaleOneWithoutSkips() {
    byte[] v1 = ByteBuffer.allocate(16).putInt(0x535a5453).putInt(1).putLong(42).array();
    TrainerState.Meta meta = TrainerState.Meta.parse(v1);
    assertThat(meta).isEqualTo(new TrainerState.Meta(42, 1f, 0, 0, 0));
  }

  @Test
  void versionTwoCarriesTheLossScaleAndSkipCounts() {
    byte[] v2 = ByteBuffer.allocate(40).putInt(0x535a5453).putInt(2).putLong(7).putFloat(256f)
        .putLong(11).putInt(2).putLong(5).array();
    assertThat(TrainerState.Meta.parse(v2)).isEqualTo(new TrainerState.Meta(7, 256f, 11, 2, 5));
  }

  @Test
  void unknownVersionsAreRefusedNamingWhatThisBuildReads() {
    byte[] v9 = ByteBuffer.allocate(40).putInt(0x535a5453).putInt(9).array();
    assertThatThrownBy(() -> TrainerState.Meta.parse(v9))
        .hasMessageContaining("version 9").hasMessageContaining("versions 1 and 2");
  }
}
