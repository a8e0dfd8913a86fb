package io.sparkzero.driver.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkzero.driver.options.JobConfig;
import io.sparkzero.sharding.options.ConfigException;
import io.sparkzero.sharding.plan.ZeroStage;
import io.sparkzero.worker.offload.TmpfsMounts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver refuses an {@code offload.nvme.path} the local ranks cannot use, naming the path, the
 * bytes needed and free, and what to do; on real small disks (tmpfs, {@link TmpfsMounts}).
 */
class NvmePathCheckTest {
  private static final long PER_RANK = 384 << 10;

  @RegisterExtension final TmpfsMounts disks = new TmpfsMounts();

  @TempDir Path tmp;

  @Test
  void missingDirectoryIsRefusedWithTheBytesNeeded() {
    Path missing = tmp.resolve("nvme");
    assertThatThrownBy(() -> NvmePathCheck.check(missing, 2, PER_RANK, ZeroStage.of(1), "local[2]"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("option 'offload.nvme.path': " + missing + " does not exist")
        .hasMessageContaining("2 x 393216 = 786432 bytes (768.0 KiB)")
        .hasMessageContaining("the 2 ranks of local[2], all on this host")
        .hasMessageContaining("create the directory");
  }

  @Test
  void fileInsteadOfADirectoryIsRefused() throws Exception {
    Path file = Files.writeString(tmp.resolve("nvme"), "not a directory");
    assertThatThrownBy(() -> NvmePathCheck.check(file, 2, PER_RANK, ZeroStage.of(1), "local[2]"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(file + " is a file, not a directory")
        .hasMessageContaining("point the option at a directory");
  }

  /** Read-only, because permission bits do not stop root, under whom CI runs. */
  @Test
  void directoryOnAReadOnlyFileSystemIsRefusedAsUnwritable() throws Exception {
    Path readOnly = disks.mountReadOnly();
    assertThatThrownBy(() -> NvmePathCheck.check(readOnly, 2, PER_RANK, ZeroStage.of(1), "local[2]"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(readOnly + " is not writable")
        .hasMessageContaining("fix its permissions or choose another directory");
  }

  @Test
  void diskWithLessFreeSpaceThanAllLocalRanksNeedIsRefused() throws Exception {
    Path small = disks.mount(512 << 10);
    assertThatThrownBy(() -> NvmePathCheck.check(small, 2, PER_RANK, ZeroStage.of(1), "local-cluster[2,1,1024]"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(small + " has 524288 bytes (512.0 KiB) free")
        .hasMessageContaining("needs 2 x 393216 = 786432 bytes (768.0 KiB)")
        .hasMessageContaining("free space there or point the option at a larger disk")
        .message().doesNotContain("zero.stage");
    assertThatThrownBy(() -> NvmePathCheck.check(small, 2, PER_RANK, ZeroStage.of(0), "local[2]"))
        .as("at stage 0 every rank keeps the whole state: sharding it is the other way out")
        .hasMessageContaining("set zero.stage to 1 or more");
    assertThat(small).isEmptyDirectory();
  }

  @Test
  void diskWithExactlyTheBytesNeededIsAccepted() throws Exception {
    Path exact = disks.mount(2 * PER_RANK);
    assertThatCode(() -> NvmePathCheck.check(exact, 2, PER_RANK, ZeroStage.of(1), "local[*]"))
        .doesNotThrowAnyException();
  }

  @Test
  void jobConfigIsCheckedOnlyWhereItsRanksRunOnThisHost() throws Exception {
    Path missing = tmp.resolve("nvme");
    JobConfig local = nvmeJob(missing.toString(), "local[2]");
    assertThat(MemoryCheck.plan(local).diskBytesPerRank()).isPositive();
    assertThatThrownBy(() -> MemoryCheck.check(local))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("offload.nvme.path"))
        .hasMessageContaining(missing + " does not exist");
    for (String cluster : new String[] {"spark://host:7077", "yarn", "k8s://https://api:6443"}) {
      assertThatCode(() -> NvmePathCheck.check(nvmeJob(missing.toString(), cluster),
          MemoryCheck.plan(local)))
          .as("%s: the executors check their own disks", cluster).doesNotThrowAnyException();
    }
    Map<String, Object> overridden = new LinkedHashMap<>(Map.of("model", "mlp",
        "spark.master", "yarn", "spark-conf.spark.master", "local[2]", "zero.stage", 1,
        "offload.optimizer", "nvme", "offload.nvme.path", missing.toString()));
    assertThatThrownBy(() -> MemoryCheck.check(JobConfig.of(overridden)))
        .as("the master the session will get: spark-conf.spark.master wins")
        .hasMessageContaining(missing + " does not exist");
    assertThatThrownBy(() -> NvmePathCheck.check(nvmeJob("", "yarn"), MemoryCheck.plan(local)))
        .as("an empty path is wrong on every host")
        .hasMessageContaining("option 'offload.nvme.path': empty")
        .hasMessageContaining("set it to a local directory");
    JobConfig heap = JobConfig.of(Map.of("model", "mlp", "offload.nvme.path",
        missing.toString()));
    assertThatCode(() -> NvmePathCheck.check(heap, MemoryCheck.plan(heap)))
        .as("nothing on disk, nothing to check").doesNotThrowAnyException();
  }

  private static JobConfig nvmeJob(String path, String master) {
    Map<String, Object> job = new LinkedHashMap<>();
    job.put("model", "mlp");
    job.put("spark.master", master);
    job.put("train.world-size", 2);
    job.put("zero.stage", 1);
    job.put("offload.optimizer", "nvme");
    job.put("offload.nvme.path", path);
    return JobConfig.of(job);
  }
}
