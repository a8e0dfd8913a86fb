package io.sparkzero.driver.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkzero.driver.options.JobConfig;
import io.sparkzero.sharding.options.ConfigException;
import io.sparkzero.worker.offload.TmpfsMounts;
import io.sparkzero.worker.train.EpochResult;
import io.sparkzero.worker.train.ParamHash;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.deeplearning4j.util.ModelSerializer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** End to end on embedded Spark local[2]: two ranks in one JVM, IPC through one media driver. */
class TrainingJobLocalIT {

  @TempDir
  Path dir;

  @RegisterExtension
  final TmpfsMounts disks = new TmpfsMounts();

  static Map<String, Object> smallJob() {
    Map<String, Object> job = new LinkedHashMap<>();
    job.put("model", "mlp");
    job.put("data.train", "synthetic:n=2048,features=784,classes=10,seed=11");
    job.put("data.test", "synthetic:n=512,features=784,classes=10,seed=11,start=2048");
    job.put("train.world-size", 2);
    job.put("train.batch-size", 32);
    job.put("train.epochs", 3);
    job.put("optimizer.name", "adam");
    job.put("optimizer.lr", 0.002);
    job.put("collective.timeout-ms", 60_000);
    // 4 MiB terms, not the default 64 MiB: each rank maps 3 terms in /dev/shm, and 3 x 64 MiB per
    // rank does not fit a container's default 64 MiB /dev/shm. A term holds 64 of the largest
    // (one-chunk, ~64 KiB) messages, far above the 8 the option requires.
    job.put("collective.ipc-term-bytes", 4 << 20);
    job.put("spark-conf.spark.ui.enabled", "false");
    return job;
  }

  /**
   * A session stopped while the job trains (what a signal to the driver does) ends the job: the
   * failed stage is not relaunched from the checkpoint, though restarts are allowed.
   */
  @Test
  void aSessionStoppedMidTrainingEndsTheJobWithoutRestarts() throws Exception {
    Map<String, Object> job = smallJob();
    job.put("spark.master", "local[2]");
    job.put("data.test", "");
    job.put("train.epochs", 200);
    job.put("checkpoint.path", dir.resolve("ckpt-stopped").toUri().toString());
    job.put("checkpoint.every-steps", 4);
    job.put("train.max-restarts", 3);
    JobConfig config = JobConfig.of(job);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    try (SparkSession spark = SparkSessions.create(config)) {
      // Polls the log every 20 ms (a sleep, not a spin: the ranks need the machine's cores).
      Thread stopper = new Thread(() -> {
        try {
          while (!log.toString().contains("epoch 2: loss")) {
            Thread.sleep(20);
          }
        } catch (InterruptedException e) {
          return;
        }
        spark.stop();
      });
      stopper.setDaemon(true);
      stopper.start();
      assertThatThrownBy(() -> TrainingJob.checked(config, new PrintStream(log, true)).run(spark))
          .isNotNull();
      stopper.join(60_000);
    }
    assertThat(log.toString()).contains("epoch 2: loss").doesNotContain("restart 1 of");
  }

  @Test
  void twoRanksTrainInLockStepWithIdenticalParametersAfterEveryEpoch() throws Exception {
    Map<String, Object> job = smallJob();
    job.put("spark.master", "local[2]");
    Path modelFile = dir.resolve("model.zip");
    job.put("output.model", modelFile.toUri().toString());
    JobConfig config = JobConfig.of(job);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    TrainingReport report;
    try (SparkSession spark = SparkSessions.create(config)) {
      report = TrainingJob.checked(config, new PrintStream(log, true)).run(spark);
    }
    assertThat(report.epochs()).hasSize(3);
    for (EpochSummary epoch : report.epochs()) {
      assertThat(epoch.ranks()).hasSize(2);
      assertThat(epoch.ranks()).extracting(EpochResult::paramHash).containsOnly(epoch.paramHash());
      assertThat(epoch.ranks()).extracting(EpochResult::steps).containsOnly(2048 / (2 * 32));
    }
    // Parameters changed between epochs and the loss went down.
    assertThat(report.epochs().get(0).paramHash()).isNotEqualTo(report.epochs().get(2).paramHash());
    assertThat(report.epochs().get(2).meanLoss()).isLessThan(report.epochs().get(0).meanLoss());
    assertThat(ParamHash.of(report.finalParams())).isEqualTo(report.epochs().get(2).paramHash());
    // The generated classes are separable: a trained mlp does far better than chance (0.1).
    assertThat(report.evaluation().examples()).isEqualTo(512);
    assertThat(report.evaluation().accuracy()).isGreaterThan(0.8);
    assertThat(log.toString()).contains("test accuracy");
    // The run's summary is one line of valid JSON with the run's figures.
    String line = log.toString().lines().filter(l -> l.startsWith("spark-zero: summary "))
        .findFirst().orElseThrow();
    JsonNode summary = new ObjectMapper().readTree(line.substring("spark-zero: summary ".length()));
    assertThat(summary.get("model").asText()).isEqualTo("mlp");
    assertThat(summary.get("ranks").asInt()).isEqualTo(2);
    assertThat(summary.get("steps_per_epoch").asInt()).isEqualTo(2048 / (2 * 32));
    assertThat(summary.get("epochs")).hasSize(3);
    assertThat(summary.get("test_accuracy").asDouble())
        .isCloseTo(report.evaluation().accuracy(), org.assertj.core.data.Offset.offset(1e-4));
    // The written model file holds exactly the final parameters.
    assertThat(Files.size(modelFile)).isPositive();
    MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(modelFile.toFile(), false);
    float[] restoredParams = restored.params().toFloatVector();
    assertThat(ParamHash.of(restoredParams)).isEqualTo(ParamHash.of(report.finalParams()));
  }

  /**
   * With the driver's rendezvous (the default) every rank takes up the ring it kept from the last
   * epoch, and the run ends with exactly the parameters of the same run meeting through Spark's
   * barrier with a new ring every epoch; a second run's first epoch builds its own.
   */
  @Test
  void ranksKeepTheirRingBetweenEpochsAndTrainAsWithSparksBarrier() throws Exception {
    Map<String, Object> job = smallJob();
    job.put("spark.master", "local[2]");
    job.put("data.test", "");
    job.put("zero.stage", 1);
    job.put("output.model", dir.resolve("driver.zip").toUri().toString());
    TrainingReport driver = Jobs.run(job, new ByteArrayOutputStream());
    job.put("train.rendezvous", "spark");
    job.put("output.model", dir.resolve("spark.zip").toUri().toString());
    TrainingReport spark = Jobs.run(job, new ByteArrayOutputStream());

    assertThat(driver.epochs()).extracting(EpochSummary::ringsKept).containsExactly(
        java.util.List.of(false, false), java.util.List.of(true, true),
        java.util.List.of(true, true));
    assertThat(spark.epochs()).extracting(EpochSummary::ringsKept).containsOnly(
        java.util.List.of(false, false));
    assertThat(driver.finalParams()).as("the same training, met either way")
        .containsExactly(spark.finalParams());
  }

  @Test
  void optimizerStateAndParameterShardOnDiskTrainToTheSameParametersAndLeaveNoFiles()
      throws Exception {
    Path nvme = Files.createDirectories(dir.resolve("nvme"));
    float[][] params = new float[2][];
    String[] tiers = {"none", "nvme"};
    for (int i = 0; i < tiers.length; i++) {
      Map<String, Object> job = smallJob();
      job.put("spark.master", "local[2]");
      job.put("train.epochs", 2);
      job.put("data.test", "");
      job.put("zero.stage", 3);
      job.put("offload.optimizer", tiers[i]);
      job.put("offload.params", tiers[i]);
      job.put("offload.nvme.path", nvme.toString());
      job.put("offload.buffer-bytes", 1 << 20);
      job.put("output.model", dir.resolve("model-" + tiers[i] + ".zip").toUri().toString());
      JobConfig config = JobConfig.of(job);
      ByteArrayOutputStream log = new ByteArrayOutputStream();
      try (SparkSession spark = SparkSessions.create(config)) {
        params[i] = TrainingJob.checked(config, new PrintStream(log, true)).run(spark).finalParams();
      }
      if (tiers[i].equals("nvme")) {
        assertThat(log.toString()).contains("offload nvme:").contains(nvme.toString());
      }
    }
    assertThat(params[1]).as("offload moves bytes, not math").containsExactly(params[0]);
    try (var left = Files.walk(nvme)) {
      assertThat(left.filter(p -> !p.equals(nvme)).toList())
          .as("offload files and rank directories removed").isEmpty();
    }
  }

  /**
   * A disk too small for the ranks' offload files stops the job before any Spark job runs: no
   * data is read, no rank starts, nothing is written under the path, and the model file a
   * previous run wrote is left as it was.
   */
  @Test
  void nvmePathTooSmallStopsTheJobBeforeTrainingAndLeavesTheModelFileAlone() throws Exception {
    Path small = disks.mount(64 << 10);
    Path modelFile = Files.writeString(dir.resolve("model.zip"), "the previous run's model");
    Map<String, Object> job = smallJob();
    job.put("spark.master", "local[2]");
    job.put("zero.stage", 2);
    job.put("offload.optimizer", "nvme");
    job.put("offload.nvme.path", small.toString());
    job.put("output.model", modelFile.toUri().toString());
    JobConfig config = JobConfig.of(job);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    try (SparkSession spark = SparkSessions.create(config)) {
      assertThatThrownBy(() -> TrainingJob.checked(config, new PrintStream(log, true)).run(spark))
          .isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("option 'offload.nvme.path': " + small + " has 65536 bytes")
          .hasMessageContaining("the 2 ranks of local[2], all on this host");
      assertThat(spark.sparkContext().statusTracker().getJobIdsForGroup(null))
          .as("no Spark job ran").isEmpty();
    }
    assertThat(log.toString()).as("nothing trained, nothing reported").isEmpty();
    assertThat(small).isEmptyDirectory();
    assertThat(modelFile).hasContent("the previous run's model");
    try (var files = Files.list(dir)) {
      assertThat(files.toList()).as("no temporary model file").containsExactly(modelFile);
    }
  }
}
