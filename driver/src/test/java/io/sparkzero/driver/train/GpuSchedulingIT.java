package io.sparkzero.driver.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkzero.worker.session.GpuBinding;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark's GPU scheduling, on CPUs: a local-cluster worker discovers two GPUs through the shipped
 * discovery script, {@code deploy/bin/gpu-discovery.sh}, run against a stand-in {@code nvidia-smi}
 * that lists two devices (there is no GPU here); its executor gets both, and each of the two
 * ranks' tasks asks for one. Each rank must receive its own address from Spark's scheduler
 * ({@code TaskContext.resources()}) and ask ND4J for that device before its first array. ND4J runs
 * its CPU backend here, which has no devices to switch, so what is checked is the address each
 * rank got and the device it asked for, not a kernel on a GPU.
 */
class GpuSchedulingIT {

  @TempDir Path dir;

  @BeforeAll
  static void sparkHomeIsReady() throws Exception {
    TrainingJobLocalClusterIT.sparkHomeIsReady();
  }

  @Test
  void eachRankIsBoundToTheGpuSparkAssignedIt() throws Exception {
    Path shipped = Path.of("..", "deploy", "bin", "gpu-discovery.sh").toAbsolutePath().normalize();
    assertThat(shipped).isExecutable();
    Path bin = Files.createDirectory(dir.resolve("bin"));
    executable(bin.resolve("nvidia-smi"), "printf '0\\n1\\n'"); // --query-gpu=index's answer
    Path script = executable(dir.resolve("discover.sh"), "unset CUDA_VISIBLE_DEVICES; PATH=" + bin
        + ":$PATH exec " + shipped);
    Map<String, Object> job = TrainingJobLocalClusterIT.clusterJob();
    job.put("spark.master", "local-cluster[1,2,3072]"); // one executor, two task slots, two GPUs
    job.put("spark-conf.spark.executor.memory", "2560m");
    job.put("spark-conf.spark.worker.resource.gpu.amount", "2");
    job.put("spark-conf.spark.worker.resource.gpu.discoveryScript", script.toString());
    job.put("spark-conf.spark.executor.resource.gpu.amount", "2");
    job.put("spark-conf.spark.task.resource.gpu.amount", "1");
    ByteArrayOutputStream log = new ByteArrayOutputStream();

    TrainingReport report = Jobs.run(job, log);

    for (EpochSummary epoch : report.epochs()) {
      List<GpuBinding> gpus = epoch.gpus();
      assertThat(gpus).extracting(GpuBinding::rank).containsExactly(0, 1);
      assertThat(gpus).extracting(GpuBinding::address).as("one address per rank, none shared")
          .containsExactlyInAnyOrder("0", "1");
      assertThat(gpus).allSatisfy(g -> {
        assertThat(g.requestedDevice()).as("rank %d asked ND4J for its own GPU", g.rank())
            .isEqualTo(Integer.parseInt(g.address()));
        assertThat(g.cpuBackend()).isTrue();
      });
      assertThat(epoch.processIds()).as("both ranks in the one executor").hasSize(2)
          .containsOnly(epoch.processIds().get(0));
    }
    assertThat(log.toString()).containsOnlyOnce("spark-zero: Spark gave the ranks GPUs, but ND4J"
        + " runs its CPU backend (build with -Pcuda for CUDA), so they compute on CPUs: rank 0:"
        + " GPU ");
  }

  private static Path executable(Path file, String body) throws Exception {
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    return file;
  }
}
