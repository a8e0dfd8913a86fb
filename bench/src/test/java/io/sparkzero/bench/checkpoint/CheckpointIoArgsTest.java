package io.sparkzero.bench.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CheckpointIoArgsTest {
  private static final String USAGE =
      "usage: CheckpointIoBenchmark DIR [SHARD_BYTES] [RANKS] [RUNS] (defaults 1073741824 2 3)";

  @Test
  void argumentsDefaultAndCountWholeFloatsPerArray() {
    assertThat(CheckpointIoArgs.parse("/d"))
        .isEqualTo(new CheckpointIoArgs(Path.of("/d"), 1L << 30, 2, 3));
    CheckpointIoArgs args = CheckpointIoArgs.parse("/d", "1000", "4", "1");
    assertThat(args.floatsPerArray()).isEqualTo(83);
    assertThat(args.payloadBytes()).isEqualTo(83L * 4 * 3 * 4);
  }

  @Test
  void badValuesAreRefusedNamingTheArgumentTheValueAndWhatIsAllowed() {
    assertThatThrownBy(() -> CheckpointIoArgs.parse("/d", "1G"))
        .hasMessage("SHARD_BYTES 1G: expected a whole number of bytes (no suffix) that holds at"
            + " least one float of each of [params, opt.0, opt.1]; " + USAGE);
    assertThatThrownBy(() -> CheckpointIoArgs.parse("/d", "11"))
        .hasMessageStartingWith("SHARD_BYTES 11: expected a whole number of bytes");
    assertThatThrownBy(() -> CheckpointIoArgs.parse("/d", "12", "1025"))
        .hasMessage("RANKS 1025: expected a whole number in 1..1024; " + USAGE);
    assertThatThrownBy(() -> CheckpointIoArgs.parse("/d", "12", "1", "0"))
        .hasMessage("RUNS 0: expected a whole number, at least 1; " + USAGE);
    assertThatThrownBy(() -> CheckpointIoArgs.parse()).hasMessageContaining(USAGE);
  }
}
