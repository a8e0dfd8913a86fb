package io.sparkzero.driver.progress;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkzero.driver.eval.Evaluator;
import io.sparkzero.driver.train.EpochSummary;
import io.sparkzero.driver.train.StageOverhead;
import io.sparkzero.worker.train.EpochResult;
import io.sparkzero.worker.train.StepMetrics;
import io.sparkzero.worker.train.StepTimes;
import java.util.Map;

/**
 * The lines of the metrics file, one JSON object each, as docs/METRICS.md specifies them: the
 * one place that names their fields. Epochs and steps count from 1 here, as on the console; a
 * figure that was not measured (NaN) is left out.
 */
public final class MetricsLines {
  static final ObjectMapper JSON = new ObjectMapper();

  private MetricsLines() {}

  /** The run's facts, its options and its memory plan per rank. */
  public static ObjectNode run(RunFacts facts, Map<String, String> config) {
    ObjectNode line = line("run");
    line.put("job", facts.job()).put("app_id", facts.appId()).put("model", facts.model())
        .put("world_size", facts.worldSize()).put("epochs", facts.epochs())
        .put("first_epoch", facts.firstEpoch() + 1).put("steps_per_epoch", facts.stepsPerEpoch())
        .put("batch_per_rank", facts.batchPerRank())
        .put("global_batch", (long) facts.batchPerRank() * facts.worldSize())
        .put("train_examples", facts.trainExamples()).put("zero_stage", facts.zeroStage());
    ObjectNode options = line.putObject("config");
    config.forEach(options::put);
    RunFacts.Plan plan = facts.plan();
    line.putObject("plan").put("param_bytes", plan.paramBytes()).put("grad_bytes", plan.gradBytes())
        .put("optimizer_bytes", plan.optimizerBytes()).put("buffer_bytes", plan.bufferBytes())
        .put("total_bytes", plan.paramBytes() + plan.gradBytes() + plan.optimizerBytes()
            + plan.bufferBytes())
        .put("budget_bytes", plan.budgetBytes()).put("budget_source", plan.budgetSource())
        .put("disk_bytes", plan.diskBytes());
    return line;
  }

  /** One step, as rank 0 reported it. */
  public static ObjectNode step(StepMetrics m) {
    ObjectNode line = JSON.createObjectNode().put("kind", "step").put("time_ms", m.timeMs());
    line.put("epoch", m.epoch() + 1).put("step", m.step() + 1).put("global_step", m.globalStep() + 1);
    number(line, "loss", m.loss());
    number(line, "lr", m.learningRate());
    number(line, "grad_norm", m.gradNorm());
    number(line, "samples_per_s", m.samplesPerSecond());
    number(line, "step_ms", m.stepNanos() / 1e6);
    split(line, m.times());
    return line.put("skipped", m.skipped()).put("loss_scale", m.lossScale())
        .put("heap_used_bytes", m.heapUsedBytes());
  }

  /** An epoch's stage, with each rank's planned and measured model state. */
  public static ObjectNode epoch(EpochSummary summary, long plannedBytes) {
    EpochResult rank0 = summary.ranks().get(0);
    ObjectNode line = line("epoch").put("epoch", summary.epoch() + 1).put("steps", rank0.steps())
        .put("samples", summary.samples());
    number(line, "loss", summary.meanLoss());
    number(line, "samples_per_s", summary.trainSamplesPerSecond());
    number(line, "stage_samples_per_s", summary.stageSamplesPerSecond());
    number(line, "stage_s", summary.stageNanos() / 1e9);
    StageOverhead o = summary.overhead();
    line.putObject("stage_ms").put("launch", o.launchMs()).put("rendezvous", o.rendezvousMs())
        .put("state", o.stateMs()).put("loop", o.loopMs()).put("finish", o.finishMs())
        .put("return", o.returnMs()).put("fixed", o.fixedMs()).put("between", o.betweenMs());
    line.put("rings_kept", summary.ringsKept().stream().allMatch(Boolean::booleanValue));
    split(line, rank0.times());
    number(line, "lr", rank0.lastLearningRate());
    number(line, "grad_norm", rank0.lastGradNorm());
    line.put("skipped_steps", rank0.skippedSteps()).put("loss_scale", rank0.lossScale());
    ArrayNode ranks = line.putArray("ranks");
    for (int r = 0; r < summary.ranks().size(); r++) {
      ObjectNode rank = ranks.addObject().put("rank", summary.ranks().get(r).rank())
          .put("planned_bytes", plannedBytes)
          .put("state_bytes", summary.ranks().get(r).stateBytes().persistentBytes())
          .put("heap_max_bytes", summary.memory().get(r).heapMaxBytes());
      if (summary.memory().get(r).peakResidentBytes() >= 0) {
        rank.put("peak_rss_bytes", summary.memory().get(r).peakResidentBytes());
      }
    }
    return line;
  }

  /** An evaluation on the test data after epoch {@code epoch} (zero-based). */
  public static ObjectNode eval(int epoch, Evaluator.Result result) {
    ObjectNode line = line("eval").put("epoch", epoch + 1).put("examples", result.examples());
    if (result.reconstructs()) {
      number(line, "reconstruction_loss", result.reconstructionLoss());
      return line;
    }
    number(line, "accuracy", result.accuracy());
    ArrayNode perClass = line.putArray("per_class_accuracy");
    for (double a : result.perClassAccuracy()) {
      if (Double.isFinite(a)) {
        perClass.add(a);
      } else {
        perClass.addNull();
      }
    }
    return line;
  }

  /** A failed epoch relaunched from the checkpoint at global step {@code fromStep}. */
  public static ObjectNode recovery(int epoch, long fromStep, double secondsToResume,
      String reason) {
    ObjectNode line = line("recovery").put("epoch", epoch + 1).put("from_step", fromStep);
    number(line, "seconds_to_resume", secondsToResume);
    return line.put("reason", reason);
  }

  /** The run's end: {@code error} is null when it succeeded. */
  public static ObjectNode end(String error, int epochsDone, Double testAccuracy, double wallSeconds) {
    ObjectNode line = line("end").put("status", error == null ? "ok" : "failed");
    if (error != null) {
      line.put("error", error);
    }
    line.put("epochs_done", epochsDone);
    if (testAccuracy != null) {
      number(line, "test_accuracy", testAccuracy);
    }
    number(line, "wall_s", wallSeconds);
    return line;
  }

  private static ObjectNode line(String kind) {
    return JSON.createObjectNode().put("kind", kind).put("time_ms", System.currentTimeMillis());
  }

  private static void split(ObjectNode line, StepTimes t) {
    number(line, "compute_ms", t.computeNanos() / 1e6);
    number(line, "comm_ms", t.commNanos() / 1e6);
    number(line, "optimizer_ms", t.optimizerNanos() / 1e6);
    number(line, "copy_ms", t.copyNanos() / 1e6);
    number(line, "batch_ms", t.batchNanos() / 1e6);
    number(line, "adv_ms", t.advNanos() / 1e6);
    number(line, "comm_hidden_ms", t.hiddenCommNanos() / 1e6);
  }

  /** Writes finite figures only: JSON has no NaN, and an unmeasured figure is left out. */
  private static void number(ObjectNode line, String field, double value) {
    if (Double.isFinite(value)) {
      line.put(field, value);
    }
  }
}
