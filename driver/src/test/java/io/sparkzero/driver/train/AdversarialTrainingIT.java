package io.sparkzero.driver.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code adv.mode conadv} end to end on {@code local[2]}: the job trains with its adversarial
 * batches (its parameters differ from the clean job's), and a job stopped after its first epoch
 * and resumed from that epoch's checkpoint ends with exactly the parameters of the job that ran
 * straight through, and so does one resumed in the middle of an epoch: the adversarial pipeline
 * restarts at each epoch's first step and at each step a checkpoint resumes from (see {@code
 * io.sparkzero.worker.adv.Adversary}), so nothing of it needs saving.
 */
class AdversarialTrainingIT {
  @TempDir Path dir;
  private int runs;

  private Map<String, Object> job(String mode, int epochs, Path checkpoints) {
    return job(mode, epochs, checkpoints, 0);
  }

  private Map<String, Object> job(String mode, int epochs, Path checkpoints, int everySteps) {
    Map<String, Object> job = TrainingJobLocalIT.smallJob();
    job.put("output.model", dir.resolve("model-" + runs++ + ".zip").toUri().toString());
    job.put("spark.master", "local[2]");
    job.put("data.test", "");
    job.put("zero.stage", 1);
    job.put("train.epochs", epochs);
    job.put("adv.mode", mode);
    if (!mode.equals("none")) {
      job.put("adv.steps", 2);
    }
    if (checkpoints != null) {
      job.put("checkpoint.path", checkpoints.toUri().toString());
      job.put("checkpoint.every-steps", everySteps);
      job.put("checkpoint.keep", 3);
    }
    return job;
  }

  @Test
  void conadvTrainsOnItsAdversarialBatchesAndResumesAtAnEpochEndExactly() throws Exception {
    ByteArrayOutputStream adversarialLog = new ByteArrayOutputStream();
    TrainingReport adversarial = Jobs.run(job("conadv", 2, null), adversarialLog);
    float[] straight = adversarial.finalParams();
    ByteArrayOutputStream cleanLog = new ByteArrayOutputStream();
    TrainingReport cleanRun = Jobs.run(job("none", 2, null), cleanLog);
    float[] clean = cleanRun.finalParams();
    assertThat(java.util.Arrays.equals(straight, clean)).as("adversarial batches reach the steps").isFalse();
    // The training thread's share of the attack (snapshots, waiting for the attacker) is its own part.
    assertThat(adversarial.epochs().get(0).ranks().get(0).times().advNanos()).isPositive();
    assertThat(adversarialLog.toString()).containsPattern("batching \\d+%, adversarial \\d+%");
    assertThat(cleanRun.epochs().get(0).ranks().get(0).times().advNanos()).isZero();
    assertThat(cleanLog.toString()).doesNotContainPattern("batching \\d+%, adversarial");

    Path checkpoints = dir.resolve("ckpt");
    Jobs.run(job("conadv", 1, checkpoints), new ByteArrayOutputStream());
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    TrainingReport resumed = Jobs.run(job("conadv", 2, checkpoints), log);
    assertThat(log.toString()).contains("resuming from checkpoint");
    assertThat(resumed.epochs()).hasSize(1);
    assertThat(java.util.Arrays.equals(resumed.finalParams(), straight)).as("resumed at the epoch's end, bit for bit")
        .isTrue();
  }

  @Test
  void conadvResumedInTheMiddleOfAnEpochEndsAsTheStraightRun() throws Exception {
    float[] straight = Jobs.run(job("conadv", 2, dir.resolve("straight"), 5), new ByteArrayOutputStream())
        .finalParams();
    Path checkpoints = dir.resolve("mid");
    Jobs.run(job("conadv", 1, checkpoints, 5), new ByteArrayOutputStream());
    io.sparkzero.checkpoint.CheckpointStore store = CheckpointResumeIT.store(checkpoints);
    long epochEnd = store.latestCommitted().orElseThrow();
    CheckpointResumeIT.deleteTree(Path.of(java.net.URI.create(store.stepUri(epochEnd))));
    assertThat(store.latestCommitted()).contains(30L); // 32 steps an epoch, saved every 5
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    TrainingReport resumed = Jobs.run(job("conadv", 2, checkpoints, 5), log);
    assertThat(log.toString()).contains("global step 30: epoch 1, step 30");
    assertThat(java.util.Arrays.equals(resumed.finalParams(), straight)).as("resumed at step 30 of 32, bit for bit")
        .isTrue();
  }

  /**
   * {@code adv.separate-bn} end to end, on a network with batch norm ({@code resnet}) at stage 2:
   * the job trains each micro-batch's clean and adversarial examples as two parts, and a run
   * resumed from a checkpoint in the middle of the epoch ends with the straight run's parameters,
   * bit for bit (the parts are rebuilt from the job, as the adversarial batches are).
   */
  @Test
  void separateBatchNormTrainsAResnetAndResumesMidEpochExactly() throws Exception {
    Path checkpoints = dir.resolve("separate");
    Map<String, Object> job = job("conadv", 1, checkpoints, 5);
    job.put("model", "resnet");
    job.put("zero.stage", 2);
    job.put("adv.separate-bn", true);
    ByteArrayOutputStream straightLog = new ByteArrayOutputStream();
    TrainingReport straight = Jobs.run(job, straightLog);
    assertThat(straight.epochs().get(0).ranks().get(0).times().advNanos()).isPositive();
    io.sparkzero.checkpoint.CheckpointStore store = CheckpointResumeIT.store(checkpoints);
    long epochEnd = store.latestCommitted().orElseThrow();
    CheckpointResumeIT.deleteTree(Path.of(java.net.URI.create(store.stepUri(epochEnd))));
    assertThat(store.latestCommitted()).contains(30L);
    job.put("output.model", dir.resolve("model-" + runs++ + ".zip").toUri().toString());
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    TrainingReport resumed = Jobs.run(job, log);
    assertThat(log.toString()).contains("global step 30: epoch 1, step 30");
    assertThat(java.util.Arrays.equals(resumed.finalParams(), straight.finalParams()))
        .as("resumed at step 30 of 32, bit for bit").isTrue();
  }

  /**
   * {@code eval.robust-steps}: after the last epoch the test set is attacked (PGD-5, untargeted,
   * ε 0.3 of [0, 1]) against the trained network; the attacked accuracy lies below the clean one,
   * reaches the summary, and a second evaluation of the same parameters attacks the same way.
   */
  @Test
  void robustAccuracyIsMeasuredAfterTheLastEpochBelowTheCleanOne() throws Exception {
    Map<String, Object> job = job("none", 2, null);
    job.put("data.test", "synthetic:n=512,features=784,classes=10,seed=11,start=2048");
    job.put("eval.robust-steps", 5);
    job.put("eval.robust-epsilon", 0.3);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    TrainingReport report = Jobs.run(job, log);
    assertThat(report.evaluation().accuracy()).as("clean accuracy").isGreaterThan(0.5);
    assertThat(report.robust()).isNotNull();
    assertThat(report.robust().examples()).isEqualTo(512);
    assertThat(report.robust().accuracy()).as("robust accuracy, clean %s", report.evaluation().accuracy())
        .isLessThan(report.evaluation().accuracy() - 0.05);
    assertThat(log.toString()).contains("epoch 2: robust test accuracy")
        .contains("under PGD-5, untargeted, epsilon 0.3000 on 512 examples");
    java.util.regex.Matcher summary = java.util.regex.Pattern.compile("\"robust_test_accuracy\": ([0-9.]+)")
        .matcher(log.toString());
    assertThat(summary.find()).as("the summary's robust_test_accuracy").isTrue();
    assertThat(Double.parseDouble(summary.group(1))).isCloseTo(report.robust().accuracy(),
        org.assertj.core.data.Offset.offset(5e-5));
  }
}
