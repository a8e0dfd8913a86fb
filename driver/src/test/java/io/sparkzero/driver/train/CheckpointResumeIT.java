package io.sparkzero.driver.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkzero.checkpoint.CheckpointStore;
import io.sparkzero.driver.errors.DamagedCheckpointException;
import io.sparkzero.sharding.options.ConfigException;
import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs on {@code local[2]} that stop and resume from their checkpoints end with exactly the
 * parameters of the job that ran straight through, whether they resume at an epoch's end or in
 * the middle of one; a damaged newest checkpoint stops the job, or with {@code
 * checkpoint.on-corrupt: previous} gives way to the one before it.
 */
class CheckpointResumeIT {
  private static final int EPOCHS = 2;
  private static final int STEPS_PER_EPOCH = 2048 / (2 * 32);

  @TempDir Path dir;
  private int runs;

  /** A job that writes its model (so the report carries the final parameters). */
  private Map<String, Object> job(int stage, int epochs, Path checkpoints) {
    Map<String, Object> job = TrainingJobLocalIT.smallJob();
    job.put("output.model", dir.resolve("model-" + runs++ + ".zip").toUri().toString());
    job.put("spark.master", "local[2]");
    job.put("data.test", "");
    job.put("zero.stage", stage);
    job.put("train.epochs", epochs);
    if (checkpoints != null) {
      job.put("checkpoint.path", checkpoints.toUri().toString());
      job.put("checkpoint.every-steps", 5);
      job.put("checkpoint.keep", 3);
    }
    return job;
  }


  private float[] straight(int stage) throws Exception {
    return Jobs.run(job(stage, EPOCHS, null), new ByteArrayOutputStream()).finalParams();
  }

  @Test
  void resumingAtAnEpochEndOrMidEpochGivesTheStraightRunsParameters() throws Exception {
    float[] expected = straight(1);
    Path checkpoints = dir.resolve("ckpt");
    Jobs.run(job(1, 1, checkpoints), new ByteArrayOutputStream());
    CheckpointStore store = store(checkpoints);
    // every 5 steps within the epoch, and its end; keep 3
    assertThat(store.committedSteps()).containsExactly(25L, 30L, (long) STEPS_PER_EPOCH);

    ByteArrayOutputStream log = new ByteArrayOutputStream();
    TrainingReport resumed = Jobs.run(job(1, EPOCHS, checkpoints), log);
    assertThat(log.toString()).contains("resuming from checkpoint")
        .contains("global step " + STEPS_PER_EPOCH + ": epoch 2, step 0");
    assertThat(resumed.epochs()).hasSize(1);
    assertThat(resumed.finalParams()).as("resumed at the epoch's end").containsExactly(expected);

    // Another first epoch, and forget its end: the next job resumes in epoch 1 at step 30 of 32.
    Path midCheckpoints = dir.resolve("ckpt-mid");
    Jobs.run(job(1, 1, midCheckpoints), new ByteArrayOutputStream());
    CheckpointStore midStore = store(midCheckpoints);
    deleteTree(Path.of(java.net.URI.create(midStore.stepUri(STEPS_PER_EPOCH))));
    assertThat(midStore.latestCommitted()).contains(30L);
    log.reset();
    TrainingReport midEpoch = Jobs.run(job(1, EPOCHS, midCheckpoints), log);
    assertThat(log.toString()).contains("global step 30: epoch 1, step 30");
    assertThat(midEpoch.epochs().get(0).ranks().get(0).steps()).isEqualTo(STEPS_PER_EPOCH - 30);
    assertThat(midEpoch.finalParams()).as("resumed mid-epoch").containsExactly(expected);
  }

  /**
   * A checkpoint of 2 ranks resumed by 4 (the same global batch, 4 x 16 for 2 x 32): no
   * conversion step; the ranks restore their new shards from the old ones and train on.
   */
  @Test
  void aCheckpointOfTwoRanksResumesOnFour() throws Exception {
    Path checkpoints = dir.resolve("reshard");
    TrainingReport first = Jobs.run(job(3, 1, checkpoints), new ByteArrayOutputStream());
    Map<String, Object> four = job(3, EPOCHS, checkpoints);
    four.put("spark.master", "local[4]");
    four.put("train.world-size", 4);
    four.put("train.batch-size", 16);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    TrainingReport resumed = Jobs.run(four, log);
    assertThat(log.toString()).contains("resuming from checkpoint");
    assertThat(resumed.epochs()).hasSize(1);
    assertThat(resumed.epochs().get(0).ranks()).hasSize(4);
    assertThat(resumed.epochs().get(0).meanLoss()).as("training goes on from the checkpoint")
        .isLessThan(first.epochs().get(0).meanLoss());
  }

  @Test
  void stage3WithOffloadedStateResumesExactly() throws Exception {
    float[] expected = straight(3);
    Path checkpoints = dir.resolve("ckpt3");
    Map<String, Object> first = job(3, 1, checkpoints);
    first.put("offload.optimizer", "nvme");
    first.put("offload.params", "host");
    first.put("offload.nvme.path", dir.toString());
    Jobs.run(first, new ByteArrayOutputStream());
    Map<String, Object> second = job(3, EPOCHS, checkpoints);
    second.put("offload.optimizer", "host");
    TrainingReport resumed = Jobs.run(second, new ByteArrayOutputStream());
    assertThat(resumed.finalParams()).containsExactly(expected);
  }

  @Test
  void aDamagedNewestCheckpointStopsTheJobOrFallsBackToThePreviousOne() throws Exception {
    float[] expected = straight(2);
    Path checkpoints = dir.resolve("damaged");
    Jobs.run(job(2, 1, checkpoints), new ByteArrayOutputStream());
    CheckpointStore store = store(checkpoints);
    long newest = store.latestCommitted().orElseThrow();
    Path shard = Path.of(java.net.URI.create(store.stepUri(newest))).resolve("rank-00001.shard");
    try (RandomAccessFile file = new RandomAccessFile(shard.toFile(), "rw")) {
      long at = file.length() / 2;
      file.seek(at);
      int b = file.read();
      file.seek(at);
      file.write(b ^ 0x10);
    }
    assertThatThrownBy(() -> Jobs.run(job(2, EPOCHS, checkpoints), new ByteArrayOutputStream()))
        .isInstanceOf(DamagedCheckpointException.class).hasMessageContaining("rank-00001.shard")
        .hasMessageContaining("corrupt checkpoint file")
        .satisfies(e -> assertThat(((DamagedCheckpointException) e).hint())
            .contains("checkpoint.on-corrupt: previous"));

    Map<String, Object> fallBack = job(2, EPOCHS, checkpoints);
    fallBack.put("checkpoint.on-corrupt", "previous");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    TrainingReport resumed = Jobs.run(fallBack, log);
    assertThat(log.toString()).contains("is damaged").contains("falling back");
    assertThat(Files.list(checkpoints).map(p -> p.getFileName().toString()))
        .as("the damaged step is kept aside").anyMatch(n -> n.startsWith("damaged-step-"));
    assertThat(resumed.finalParams()).as("from the step before the damaged one")
        .containsExactly(expected);
  }

  /**
   * A manifest.json that no longer parses is damage to a committed step, handled as a damaged
   * shard is: the job stops naming the file (which stays where it is), or falls back past it.
   */
  @Test
  void aManifestThatDoesNotParseIsDamageNeverDeleted() throws Exception {
    Path checkpoints = dir.resolve("manifest");
    Jobs.run(job(2, 1, checkpoints), new ByteArrayOutputStream());
    CheckpointStore store = store(checkpoints);
    long newest = store.latestCommitted().orElseThrow();
    Path manifest = Path.of(java.net.URI.create(store.stepUri(newest))).resolve("manifest.json");
    byte[] whole = Files.readAllBytes(manifest);
    Files.write(manifest, java.util.Arrays.copyOf(whole, whole.length / 2));

    assertThatThrownBy(() -> Jobs.run(job(2, EPOCHS, checkpoints), new ByteArrayOutputStream()))
        .isInstanceOf(DamagedCheckpointException.class).hasMessageContaining(manifest.getFileName().toString())
        .hasMessageContaining("does not parse");
    assertThat(manifest).as("the damaged manifest, left in place").exists();

    Map<String, Object> fallBack = job(2, EPOCHS, checkpoints);
    fallBack.put("checkpoint.on-corrupt", "previous");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    Jobs.run(fallBack, log);
    assertThat(log.toString()).contains("is damaged").contains("falling back");
    assertThat(Files.list(checkpoints).map(p -> p.getFileName().toString()))
        .as("the damaged step is kept aside").anyMatch(n -> n.startsWith("damaged-step-"));
  }

  /**
   * A checkpoint fits only the job that wrote it: another model, seed or optimizer is refused before
   * any stage runs, naming the option; checkpoint.allow-optimizer-change resumes the parameters
   * under another optimizer, whose state starts fresh.
   */
  @Test
  void aResumeWithAnotherModelSeedOrOptimizerIsRefusedNamingTheOption() throws Exception {
    Path checkpoints = dir.resolve("fit");
    Jobs.run(job(1, 1, checkpoints), new ByteArrayOutputStream());
    Map<String, Object> otherModel = job(1, EPOCHS, checkpoints);
    otherModel.put("model", "wide-mlp:64");
    assertThatThrownBy(() -> Jobs.run(otherModel, new ByteArrayOutputStream()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("'model'").hasMessageContaining("'mlp'");
    Map<String, Object> otherSeed = job(1, EPOCHS, checkpoints);
    otherSeed.put("train.seed", 7);
    assertThatThrownBy(() -> Jobs.run(otherSeed, new ByteArrayOutputStream()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("'train.seed'")
        .hasMessageContaining("set train.seed 1");
    // LAMB keeps Adam's two state slots: only the name tells them apart.
    Map<String, Object> lamb = job(1, EPOCHS, checkpoints);
    lamb.put("optimizer.name", "lamb");
    assertThatThrownBy(() -> Jobs.run(lamb, new ByteArrayOutputStream()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("'optimizer.name'")
        .hasMessageContaining("checkpoint.allow-optimizer-change");

    lamb.put("checkpoint.allow-optimizer-change", true);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    TrainingReport resumed = Jobs.run(lamb, log);
    assertThat(log.toString()).contains("resuming its parameters with fresh lamb state")
        .contains("resuming from checkpoint");
    assertThat(resumed.epochs()).as("only the second epoch trains").hasSize(1);
  }

  /**
   * A checkpoint.path leased by another job (as a live job elsewhere leaves it: lease.json naming
   * that job, renewed just now) is refused before any stage runs; an expired lease is refused too
   * unless checkpoint.take-over is set, and a job that took it over releases it at its end. Its
   * files have the mode checkpoint.file-mode gives them.
   */
  @Test
  void aPathLeasedByAnotherJobIsRefusedAndAnExpiredLeaseIsTakenOverOnRequest() throws Exception {
    Path checkpoints = dir.resolve("leased");
    Files.createDirectories(checkpoints);
    Path lease = checkpoints.resolve("lease.json");
    String other = "{\"job_id\": \"other-job\", \"app_id\": \"app-7\", \"host\": \"node-9\","
        + " \"renewed_ms\": %d, \"ttl_ms\": 60000}";
    Files.writeString(lease, String.format(other, System.currentTimeMillis()));
    assertThatThrownBy(() -> Jobs.run(job(1, 1, checkpoints), new ByteArrayOutputStream()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("'checkpoint.path'")
        .hasMessageContaining("in use by job other-job (application app-7 on node-9)");

    Files.writeString(lease, String.format(other, System.currentTimeMillis() - 600_000));
    assertThatThrownBy(() -> Jobs.run(job(1, 1, checkpoints), new ByteArrayOutputStream()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("has expired")
        .hasMessageContaining("checkpoint.take-over");
    Map<String, Object> takeOver = job(1, 1, checkpoints);
    takeOver.put("checkpoint.take-over", true);
    takeOver.put("checkpoint.file-mode", "640");
    Jobs.run(takeOver, new ByteArrayOutputStream());
    assertThat(lease).as("released at the job's end").doesNotExist();
    long step = store(checkpoints).latestCommitted().orElseThrow();
    // checkpoint.file-mode reaches every rank's shard and rank 0's manifest (default: 600).
    Path stepDir = Path.of(java.net.URI.create(store(checkpoints).stepUri(step)));
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(stepDir.resolve("rank-00001.shard")))).isEqualTo("rw-r-----");
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(stepDir.resolve("manifest.json")))).isEqualTo("rw-r-----");
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(stepDir)))
        .isEqualTo("rwxr-x---");
  }

  static CheckpointStore store(Path root) {
    return CheckpointStore.open(root.toUri().toString(), new Configuration());
  }

  static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
