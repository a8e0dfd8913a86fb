package io.sparkzero.worker.offload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkzero.sharding.collective.FloatBlock;
import io.sparkzero.sharding.plan.OffloadPlan.Tier;
import io.sparkzero.worker.optim.Adam;
import io.sparkzero.worker.optim.HeapState;
import io.sparkzero.worker.optim.OptimizerState;
import io.sparkzero.worker.optim.RegionUpdate;
import io.sparkzero.worker.optim.ShardStepper;
import io.sparkzero.worker.testing.TestArrays;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamedStateTest {
  private static final int CHUNK = ShardStepper.CHUNK_FLOATS;
  /** Five blocks of two chunks, the last one short. */
  private static final int LENGTH = 9 * CHUNK + 123;

  @TempDir Path dir;

  private OffloadOptions options(String tier) {
    return new OffloadOptions(Tier.of(tier), Tier.NONE, dir.toString(), 3, 2 * CHUNK * 2 * Float.BYTES);
  }

  @Test
  void hostAndNvmeTiersGiveBitIdenticalAdamStepsToHeapState() {
    float[] expected = train(new HeapState(2, LENGTH));
    for (String tier : new String[] {"host", "nvme"}) {
      try (OptimizerState state = OptimizerStates.create(options(tier), "test-" + tier, 2,
          LENGTH)) {
        assertThat(state).isInstanceOf(StreamedState.class);
        assertThat(train(state)).as(tier).containsExactly(expected);
        StreamedState streamed = (StreamedState) state;
        assertThat(streamed.readBytes()).as("every step reads the state once")
            .isEqualTo(4L * 2 * LENGTH * Float.BYTES);
        assertThat(streamed.writtenBytes()).isEqualTo(streamed.readBytes());
        assertThat(state.traffic().readBytes()).isEqualTo(streamed.readBytes());
        assertThat(state.traffic().readNanos()).as("the I/O thread timed its reads").isPositive();
        assertThat(state.traffic().writeBytesPerS()).isPositive();
        assertThat(state.memoryBytes()).as("the planner's prediction")
            .isEqualTo(options(tier).plan().optimizerMemoryBytes(2, LENGTH));
        assertThat(streamed.diskBytes()).isEqualTo(options(tier).plan().diskBytes(
            io.sparkzero.sharding.plan.ZeroStage.OPTIMIZER_STATE, 2, LENGTH));
      }
    }
  }

  @Test
  void moreStagingBuffersThanBlocksStillMatch() {
    float[] expected = train(new HeapState(2, LENGTH));
    OffloadOptions many = new OffloadOptions(Tier.NVME, Tier.NONE, dir.toString(), 16, 2 * CHUNK * 8);
    try (OptimizerState state = OptimizerStates.create(many, "many", 2, LENGTH)) {
      assertThat(train(state)).containsExactly(expected);
    }
  }

  @Test
  void readAndWriteReachEveryElementOutsideAPass() {
    try (OptimizerState state = OptimizerStates.create(options("nvme"), "rw", 2, LENGTH)) {
      float[] values = TestArrays.gaussian(LENGTH, 9);
      state.write(1, 0, values, 0, LENGTH);
      float[] back = new float[LENGTH - 5];
      state.read(1, 5, back, 0, back.length);
      assertThat(back).containsExactly(java.util.Arrays.copyOfRange(values, 5, LENGTH));
      float[] other = new float[LENGTH];
      state.read(0, 0, other, 0, LENGTH);
      assertThat(other).as("slot 0 untouched, zeros").containsOnly(0f);
    }
  }

  @Test
  void fetchesReadAnyRangeAndSeeEveryChangeAPassOrAWriteMade() {
    OffloadOptions params = options("none").withParams(Tier.NVME);
    try (StreamedState store = OptimizerStates.params(params, "fetch", LENGTH)) {
      assertThat(store.slots()).isEqualTo(1);
      float[] values = TestArrays.gaussian(LENGTH, 3);
      store.write(0, 0, values, 0, LENGTH);
      assertThat(fetch(store, 7, 3 * CHUNK)).as("a range across two blocks")
          .containsExactly(java.util.Arrays.copyOfRange(values, 7, 7 + 3 * CHUNK));
      long before = store.readBytes();
      fetch(store, 8, 10);
      assertThat(store.readBytes()).as("the block of the last fetch is not read again")
          .isEqualTo(before);
      store.beginPass(); // add 1 to every element
      for (int at = 0; at < LENGTH; at += CHUNK) {
        OptimizerState.Window w = store.window(at, Math.min(CHUNK, LENGTH - at));
        for (int i = 0; i < Math.min(CHUNK, LENGTH - at); i++) {
          w.arrays()[0][w.index() + i] += 1f;
          values[at + i] += 1f;
        }
      }
      store.endPass();
      assertThat(fetch(store, 0, LENGTH)).as("after a pass").containsExactly(values);
      store.write(0, 100, new float[] {-1f}, 0, 1);
      values[100] = -1f;
      assertThat(fetch(store, 90, 20)).as("after a write")
          .containsExactly(java.util.Arrays.copyOfRange(values, 90, 110));
      store.beginPass();
      assertThatThrownBy(() -> store.fetch(0, 0, FloatBlock.of(new float[1]), 0, 1))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("during a pass");
      store.endPass();
    }
  }

  private static float[] fetch(StreamedState store, int from, int count) {
    float[] out = new float[count + 2];
    IoLoop.await(store.fetch(0, from, FloatBlock.of(out), 1, count));
    return java.util.Arrays.copyOfRange(out, 1, count + 1);
  }

  @Test
  void nvmeFileIsOwnerOnlyAndRemovedOnClose() throws Exception {
    Path file;
    Path rankDir = dir.resolve("spark-zero-perm");
    try (OptimizerState state = OptimizerStates.create(options("nvme"), "perm", 2, LENGTH)) {
      file = rankDir.resolve("optimizer-state.bin");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(rankDir)))
          .isEqualTo("rwx------");
      assertThat(((StreamedState) state).diskBytes()).isEqualTo(Files.size(file));
    }
    assertThat(file).doesNotExist();
    assertThat(rankDir).as("the rank's directory goes with its last file").doesNotExist();
  }

  @Test
  void missingOrEmptyNvmePathIsRefusedWithTheOptionNamed() {
    OffloadOptions missing = new OffloadOptions(Tier.NVME, Tier.NONE,
        dir.resolve("nope").toString(), 3, 1 << 20);
    assertThatThrownBy(() -> OptimizerStates.create(missing, "m", 2, LENGTH))
        .isInstanceOf(OffloadException.class).hasMessageContaining("offload.nvme.path")
        .hasMessageContaining("nope").hasMessageContaining("not a directory");
    OffloadOptions empty = new OffloadOptions(Tier.NVME, Tier.NONE, "", 3, 1 << 20);
    assertThatThrownBy(() -> OptimizerStates.create(empty, "e", 2, LENGTH))
        .isInstanceOf(OffloadException.class).hasMessageContaining("offload.nvme.path is empty");
  }

  /** Four Adam steps over a region of LENGTH with fixed gradients; returns the parameters. */
  private static float[] train(OptimizerState state) {
    float[] params = TestArrays.gaussian(LENGTH, 1);
    ShardStepper stepper = new ShardStepper(new Adam(0.9f, 0.999f, 1e-8f), state,
        RegionUpdate.allTrained(0, LENGTH));
    for (int step = 0; step < 4; step++) {
      float[] grads = TestArrays.gaussian(LENGTH, 10 + step);
      stepper.step(FloatBlock.of(params), 0, FloatBlock.of(grads), 0, 0.5f, 0.01f);
    }
    return params;
  }

}
