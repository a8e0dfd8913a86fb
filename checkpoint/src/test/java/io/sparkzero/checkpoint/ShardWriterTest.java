package io.sparkzero.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer's contract with its caller: order, counts, any call size, abort. */
class ShardWriterTest {
  private static final List<String> ARRAYS = List.of("params", "opt.0");

  @TempDir
  Path dir;
  private CheckpointStore store;

  @BeforeEach
  void openStore() {
    store = CheckpointStore.open(dir.toUri().toString(), new Configuration(),
        CheckpointOptions.withBlockFloats(4));
  }

  private static float[] ramp(int n) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = i * 0.5f;
    }
    return values;
  }

  private Path file(long step, int rank) {
    return dir.resolve(String.format("step-%012d", step)).resolve(StepPaths.shardName(rank));
  }

  @Test
  void theFileIsTheSameWhateverTheCallSizes() throws IOException {
    float[] data = ramp(11);
    ShardHeader header = new ShardHeader(0, 0, 11, ARRAYS, new byte[2]);
    try (ShardWriter whole = store.beginShard(1, 0, header)) {
      whole.write("params", data, 0, 11);
      whole.write("opt.0", data, 0, 11);
      whole.finish();
    }
    try (ShardWriter single = store.beginShard(2, 0, header)) {
      for (String array : ARRAYS) {
        for (int i = 0; i < 11; i++) {
          single.write(array, data, i, 1);
        }
        single.write(array, data, 0, 0);
      }
      ShardRecord record = single.finish();
      assertThat(record.bytes()).isEqualTo(Files.size(file(2, 0)));
    }
    assertThat(Files.readAllBytes(file(2, 0))).isEqualTo(Files.readAllBytes(file(1, 0)));
  }

  @Test
  void arraysOutOfOrderOrTooLongAreRefusedAndNothingIsWritten() {
    ShardHeader header = new ShardHeader(3, 10, 20, ARRAYS, new byte[0]);
    try (ShardWriter writer = store.beginShard(1, 3, header)) {
      assertThatThrownBy(() -> writer.write("opt.0", ramp(10), 0, 10))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("rank 3 of step 1")
          .hasMessageContaining("'params' comes next with 0 of 10 elements written")
          .hasMessageContaining("[params, opt.0]");
      writer.write("params", ramp(10), 0, 6);
      assertThatThrownBy(() -> writer.write("params", ramp(10), 0, 5))
          .hasMessageContaining("cannot write 5 elements of 'params'")
          .hasMessageContaining("6 of 10 elements written");
      writer.write("params", ramp(10), 6, 4);
      assertThatThrownBy(writer::finish).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("array 'opt.0' has 0 of 10 elements");
      writer.write("opt.0", ramp(10), 0, 10);
      assertThatThrownBy(() -> writer.write("opt.0", ramp(1), 0, 1))
          .hasMessageContaining("every array is complete");
      writer.finish();
      assertThatThrownBy(() -> writer.write("opt.0", ramp(1), 0, 0))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("already finished");
    }
  }

  @Test
  void headerOfAnotherRankIsRefused() {
    assertThatThrownBy(() -> store.beginShard(1, 2, new ShardHeader(3, 0, 1, ARRAYS, new byte[0])))
        .hasMessageContaining("a header of the same rank, got a header of rank 3");
  }
}
