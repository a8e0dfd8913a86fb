package io.sparkzero.bench.offload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class OffloadIoArgsTest {

  @Test
  void argumentsDefaultAndRejectBlocksThatAreNotWholeOrAligned() {
    assertThat(OffloadIoArgs.parse("/d")).isEqualTo(new OffloadIoArgs(Path.of("/d"),
        2L << 30, 8 << 20, 5));
    assertThat(OffloadIoArgs.parse("/d", "268435456", "8388608", "2").blocks()).isEqualTo(32);
    assertThatThrownBy(() -> OffloadIoArgs.parse("/d", "268435456", "1000"))
        .hasMessageContaining("multiple of 4096");
    assertThatThrownBy(() -> OffloadIoArgs.parse("/d", "268435457"))
        .hasMessageContaining("multiple of BLOCK_BYTES");
    assertThatThrownBy(() -> OffloadIoArgs.parse("/d", "2G")).hasMessageContaining("whole number");
    assertThatThrownBy(() -> OffloadIoArgs.parse()).hasMessageContaining("usage");
  }

  @Test
  void badValuesAreOneLineNamingTheArgumentTheValueAndWhatIsAllowed() {
    String usage = "; usage: OffloadIoBenchmark DIR [FILE_BYTES] [BLOCK_BYTES] [RUNS]"
        + " (defaults 2147483648 8388608 5)";
    assertThatThrownBy(() -> OffloadIoArgs.parse("/d", "268435456", "1000"))
        .hasMessage("BLOCK_BYTES 1000: expected a whole number of bytes (no suffix), a positive"
            + " multiple of 4096 (direct I/O alignment) of at most 1073741824" + usage);
    assertThatThrownBy(() -> OffloadIoArgs.parse("/d", "268435457"))
        .hasMessage("FILE_BYTES 268435457: expected a positive multiple of BLOCK_BYTES 8388608,"
            + " at most 2147483647 blocks" + usage);
    assertThatThrownBy(() -> OffloadIoArgs.parse("/d", "0"))
        .hasMessage("FILE_BYTES 0: expected a whole number of bytes (no suffix), a positive"
            + " multiple of BLOCK_BYTES" + usage);
    assertThatThrownBy(() -> OffloadIoArgs.parse("/d", "8388608", "8388608", "0"))
        .hasMessage("RUNS 0: expected a whole number, at least 1" + usage);
  }
}
