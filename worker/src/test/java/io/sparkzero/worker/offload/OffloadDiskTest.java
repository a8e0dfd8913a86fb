package io.sparkzero.worker.offload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkzero.sharding.collective.FloatBlock;
import io.sparkzero.sharding.plan.OffloadPlan.Tier;
import io.sparkzero.worker.model.ModelZoo;
import io.sparkzero.worker.optim.Adam;
import io.sparkzero.worker.optim.HeapState;
import io.sparkzero.worker.optim.OptimizerOptions;
import io.sparkzero.worker.optim.OptimizerState;
import io.sparkzero.worker.optim.RegionUpdate;
import io.sparkzero.worker.optim.ShardStepper;
import io.sparkzero.worker.testing.TestArrays;
import io.sparkzero.worker.train.ZeroOptions;
import io.sparkzero.worker.train.ZeroTrainer;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nvme tier on real small disks (a tmpfs of a chosen size, see {@link TmpfsMounts}): a disk too
 * small is refused when the state is created; a disk that fills up afterwards does not touch the
 * state, whose space the zero-fill claimed; a file truncated underneath, or a write that finds no
 * space, fails the next pass with the file, block and byte named, without hanging the training
 * thread; and nothing is left on the disk afterwards. No mocks: every error here is the kernel's.
 */
class OffloadDiskTest {
  private static final int CHUNK = ShardStepper.CHUNK_FLOATS;
  private static final int SLOTS = 2;
  /** One optimizer chunk of both slots per block: 128 KiB. */
  private static final int BLOCK_BYTES = SLOTS * CHUNK * Float.BYTES;
  /** Six blocks, the last one short: a 768 KiB file. */
  private static final int LENGTH = 5 * CHUNK + 7;
  private static final long FILE_BYTES = 6L * BLOCK_BYTES;

  @RegisterExtension final TmpfsMounts disks = new TmpfsMounts();

  @TempDir Path tmp;

  private static OffloadOptions nvme(Path path) {
    return new OffloadOptions(Tier.NVME, Tier.NONE, path.toString(), 3, BLOCK_BYTES);
  }

  @Test
  void diskTooSmallForTheStateIsRefusedAtCreateAndLeavesNothing() throws Exception {
    Path disk = disks.mount(512 << 10);
    Path file = disk.resolve("spark-zero-small").resolve("optimizer-state.bin");
    assertThatThrownBy(() -> OptimizerStates.create(nvme(disk), "small", SLOTS, LENGTH))
        .isInstanceOf(OffloadException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("needs " + FILE_BYTES + " bytes")
        .hasMessageContaining("has " + (512 << 10) + " bytes free")
        .hasMessageContaining("offload.nvme.path");
    assertThat(entries(disk)).as("neither the file nor the rank's directory stays").isEmpty();
  }

  @Test
  void rankOnATooSmallDiskFailsWhenItsTrainerIsBuiltBeforeAnyStep() throws Exception {
    Path disk = disks.mount(64 << 10);
    OptimizerOptions adam = new OptimizerOptions("adam", 1e-3, 0.9, 0.9, 0.999, 1e-8);
    // What a rank on a cluster executor does when its task starts (RankTask.fresh): there is no
    // step to run without a trainer, so the disk check cannot come after the first step.
    assertThatThrownBy(() -> ZeroTrainer.create(ModelZoo.build("mlp", 42), adam,
        ZeroOptions.ofStage(1), nvme(disk), "job-rank-0", 0, 2))
        .isInstanceOf(OffloadException.class)
        .hasMessageContaining(disk.resolve("spark-zero-job-rank-0").toString())
        .hasMessageMatching("(?s).*needs \\d+ bytes but its disk has \\d+ bytes free.*");
    assertThat(entries(disk)).isEmpty();
  }

  /**
   * The designed behaviour: the state's file was zero-filled when created, so its blocks are
   * allocated and writing them back needs no new space, whatever else fills the disk.
   */
  @Test
  void diskFillingUpDuringTheRunLeavesTheClaimedStateWorking() throws Exception {
    Path disk = disks.mount(1 << 20);
    float[] expected = TestArrays.gaussian(LENGTH, 1);
    float[] params = TestArrays.gaussian(LENGTH, 1);
    try (OptimizerState heap = new HeapState(SLOTS, LENGTH);
        OptimizerState state = OptimizerStates.create(nvme(disk), "full", SLOTS, LENGTH)) {
      Steps reference = new Steps(heap, expected);
      Steps offloaded = new Steps(state, params);
      reference.run(0, 2);
      offloaded.run(0, 2);
      long filler = TmpfsMounts.fill(disk);
      assertThat(filler).as("the filler took what the state left")
          .isEqualTo((1 << 20) - FILE_BYTES);
      assertThat(Files.getFileStore(disk).getUsableSpace()).isZero();
      reference.run(2, 4);
      offloaded.run(2, 4);
      assertThat(params).as("passes on a full disk, bit for bit").containsExactly(expected);
    }
    assertThat(entries(disk)).containsExactly(disk.resolve("filler"));
  }

  @Test
  @Timeout(10)
  void fileTruncatedUnderneathFailsTheNextPassNamingFileBlockAndByte() throws Exception {
    Path file = tmp.resolve("spark-zero-cut").resolve("optimizer-state.bin");
    OptimizerState state = OptimizerStates.create(nvme(tmp), "cut", SLOTS, LENGTH);
    try {
      Steps steps = new Steps(state, TestArrays.gaussian(LENGTH, 1));
      steps.run(0, 1);
      try (FileChannel cut = FileChannel.open(file, StandardOpenOption.WRITE)) {
        cut.truncate(2L * BLOCK_BYTES); // a failing disk or an operator's mistake
      }
      assertThatThrownBy(() -> steps.run(1, 2))
          .isInstanceOf(OffloadException.class)
          .hasMessageContaining("offload file " + file)
          .hasMessageContaining("before block 2")
          .hasMessageContaining("(byte " + 2L * BLOCK_BYTES + ")")
          .hasMessageContaining("truncated");
    } finally {
      state.close();
    }
    assertThat(entries(tmp)).as("close after the failure removes file and directory").isEmpty();
  }

  /**
   * A real ENOSPC on the write-back path: the file's claim is lost underneath (truncated to zero
   * and extended again, so its blocks are holes that read as zeros) and the disk is then filled,
   * so writing a block back needs space the disk no longer has. The zero-fill at create makes this
   * impossible without such outside interference.
   */
  @Test
  @Timeout(10)
  void writeBackThatFindsTheDiskFullFailsWithFileBlockByteAndTheDiskFullHint() throws Exception {
    Path disk = disks.mount(1 << 20);
    Path file = disk.resolve("spark-zero-holes").resolve("optimizer-state.bin");
    OptimizerState state = OptimizerStates.create(nvme(disk), "holes", SLOTS, LENGTH);
    try {
      Steps steps = new Steps(state, TestArrays.gaussian(LENGTH, 1));
      steps.run(0, 1);
      try (RandomAccessFile holes = new RandomAccessFile(file.toFile(), "rw")) {
        holes.setLength(0);
        holes.setLength(FILE_BYTES);
      }
      TmpfsMounts.fill(disk);
      assertThatThrownBy(() -> steps.run(1, 2))
          .isInstanceOf(OffloadException.class)
          .hasMessageContaining("writing block 0 of offload file " + file + " at byte 0 failed")
          .hasMessageContaining("No space left on device")
          .hasMessageContaining("(the disk under offload.nvme.path is full)");
    } finally {
      state.close();
    }
    assertThat(entries(disk)).containsExactly(disk.resolve("filler"));
  }

  /**
   * Removing the file (and the rank's directory) while the rank runs does not lose the state: on
   * Linux an open file outlives its name, and its space is given back when the rank closes it.
   * This documents that behaviour; the run goes on and nothing is left behind.
   */
  @Test
  @Timeout(10)
  void fileRemovedUnderneathKeepsItsStateUntilCloseAndLeavesNothing() throws Exception {
    Path disk = disks.mount(1 << 20);
    Path dir = disk.resolve("spark-zero-gone");
    float[] expected = TestArrays.gaussian(LENGTH, 1);
    float[] params = TestArrays.gaussian(LENGTH, 1);
    try (OptimizerState heap = new HeapState(SLOTS, LENGTH);
        OptimizerState state = OptimizerStates.create(nvme(disk), "gone", SLOTS, LENGTH)) {
      Steps reference = new Steps(heap, expected);
      Steps offloaded = new Steps(state, params);
      reference.run(0, 2);
      offloaded.run(0, 2);
      Files.delete(dir.resolve("optimizer-state.bin"));
      Files.delete(dir);
      reference.run(2, 4);
      offloaded.run(2, 4);
      assertThat(params).containsExactly(expected);
      assertThat(Files.getFileStore(disk).getUsableSpace()).as("still held by the open file")
          .isEqualTo((1 << 20) - FILE_BYTES);
    }
    assertThat(entries(disk)).isEmpty();
    assertThat(Files.getFileStore(disk).getUsableSpace()).isEqualTo(1 << 20);
  }

  /** Deterministic Adam steps over {@code params}: step s uses gradients seeded by s. */
  private static final class Steps {
    private final ShardStepper stepper;
    private final float[] params;

    Steps(OptimizerState state, float[] params) {
      this.stepper = new ShardStepper(new Adam(0.9f, 0.999f, 1e-8f), state,
          RegionUpdate.allTrained(0, LENGTH));
      this.params = params;
    }

    void run(int fromStep, int toStep) {
      for (int s = fromStep; s < toStep; s++) {
        stepper.step(FloatBlock.of(params), 0, FloatBlock.of(TestArrays.gaussian(LENGTH, 10 + s)), 0, 0.5f,
            0.01f);
      }
    }
  }

  private static Path[] entries(Path dir) throws Exception {
    try (Stream<Path> list = Files.list(dir)) {
      return list.toArray(Path[]::new);
    }
  }

}
