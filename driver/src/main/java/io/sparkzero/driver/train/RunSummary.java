package io.sparkzero.driver.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sparkzero.driver.eval.Evaluator;
import io.sparkzero.sharding.plan.StageMemory;
import io.sparkzero.worker.optim.StateTraffic;
import io.sparkzero.worker.session.RankJob;
import io.sparkzero.worker.train.EpochResult;
import io.sparkzero.worker.train.ModelStateBytes;
import io.sparkzero.worker.train.StepTimes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The run's summary: one machine-readable JSON line at the end of a job, read by the benchmark
 * scripts. Field names are written in snake case ({@code peakLr} as {@code peak_lr}); figures are
 * rounded to what their measurement supports. Rank 0 speaks for the ranks where they all hold the
 * same (times, state bytes, offload traffic).
 *
 * @param testAccuracy the last evaluation's accuracy, or null (left out) when nothing was evaluated
 *     or the job reconstructs
 * @param testReconstructionLoss a reconstruct job's last evaluation's loss, or null (left out)
 * @param robustTestAccuracy the last epoch's accuracy under {@code eval.robust-steps}' attack, or
 *     null (left out) when none was measured
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record RunSummary(
    String model, int zeroStage, int ranks, String optimizer, int batchPerRank, int microBatches,
    long globalBatch, double peakLr, long warmupSteps, int stepsPerEpoch, List<Epoch> epochs,
    StateBytes rank0StateBytes, ProcessBytes rank0Process, Offload rank0Offload,
    PredictedBytes predictedStateBytes, Double testAccuracy, Double testReconstructionLoss,
    Double robustTestAccuracy, List<Recovery> recoveries) {

  private static final ObjectMapper JSON = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .setDefaultPrettyPrinter(new OneLine())
      .enable(SerializationFeature.INDENT_OUTPUT);

  /** One line, spaced as {@code {"key": value, "list": [1, 2]}} (what scripts have grepped). */
  private static final class OneLine extends MinimalPrettyPrinter {
    private static final long serialVersionUID = 1L;

    @Override
    public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
      g.writeRaw(": ");
    }

    @Override
    public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
      g.writeRaw(", ");
    }

    @Override
    public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
      g.writeRaw(", ");
    }
  }

  /**
   * One epoch; {@code testAccuracy} (classify) or {@code testReconstructionLoss} (reconstruct) is
   * null (left out) unless every epoch was evaluated.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Epoch(double loss, double stepLoopSamplesPerS, double stageSamplesPerS, Millis rank0Ms,
      long rank0CommBytesPerStep, double lastLr, double lastGradNorm, long skippedSteps,
      Double testAccuracy,
      Double testReconstructionLoss) {}

  /**
   * Where rank 0's step time went, in milliseconds; {@code commHidden} is beside that split: the
   * communication its backward hid.
   */
  record Millis(long compute, long comm, long copy, long optimizer, long batching, long adversarial,
      long commHidden) {}

  record StateBytes(long params, long grads, long optimizer, long buffers, long peakParams) {}

  record ProcessBytes(long peakRssBytes, long heapMaxBytes) {}

  record Offload(long readBytes, double readS, double readGbPerS, long writeBytes, double writeS,
      double writeGbPerS, long diskBytesPerRank) {}

  record PredictedBytes(long params, long grads, long optimizer, long buffers) {}

  /** A relaunched epoch: {@code epoch} counts from 1. */
  record Recovery(int epoch, long fromStep, double secondsToResume, long resumedAtMs) {}

  static RunSummary of(RankJob spec, List<EpochSummary> epochs,
      List<Evaluator.Result> evaluations, Evaluator.Robust robust, MemoryCheck.JobPlan plan,
      List<StageRestarts.Recovery> recoveries) {
    boolean everyEpochEvaluated = evaluations.size() == epochs.size();
    List<Epoch> rows = new ArrayList<>();
    for (int i = 0; i < epochs.size(); i++) {
      EpochSummary e = epochs.get(i);
      EpochResult rank0 = e.ranks().get(0);
      StepTimes t = rank0.times();
      rows.add(new Epoch(decimals(e.meanLoss(), 5), decimals(e.trainSamplesPerSecond(), 1),
          decimals(e.stageSamplesPerSecond(), 1),
          new Millis(t.computeNanos() / 1_000_000, t.commNanos() / 1_000_000,
              t.copyNanos() / 1_000_000, t.optimizerNanos() / 1_000_000,
              t.batchNanos() / 1_000_000, t.advNanos() / 1_000_000,
              t.hiddenCommNanos() / 1_000_000),
          rank0.commBytesSent() / Math.max(1, rank0.steps()),
          significant(rank0.lastLearningRate(), 6), significant(rank0.lastGradNorm(), 6),
          rank0.skippedSteps(),
          everyEpochEvaluated ? accuracy(evaluations.get(i)) : null,
          everyEpochEvaluated ? reconstructionLoss(evaluations.get(i)) : null));
    }
    EpochSummary last = epochs.get(epochs.size() - 1);
    ModelStateBytes state = last.ranks().get(0).stateBytes();
    ProcessMemory process = last.memory().get(0);
    StateTraffic io = last.offload().get(0);
    StageMemory predicted = plan.memory();
    Evaluator.Result eval = evaluations.isEmpty() ? null : evaluations.get(evaluations.size() - 1);
    return new RunSummary(spec.model(), spec.zero().stage().number(), epochs.get(0).ranks().size(),
        spec.optimizer().name(), spec.batchSize(), spec.microBatches(),
        spec.schedule().globalBatch(), spec.schedule().peak(), spec.schedule().warmupSteps(),
        spec.stepsPerEpoch(), rows,
        new StateBytes(state.paramBytes(), state.gradBytes(), state.optimizerBytes(),
            state.bufferBytes(), state.peakParamBytes()),
        new ProcessBytes(process.peakResidentBytes(), process.heapMaxBytes()),
        new Offload(io.readBytes(), decimals(io.readNanos() / 1e9, 3),
            decimals(io.readBytesPerS() / 1e9, 3), io.writeBytes(),
            decimals(io.writeNanos() / 1e9, 3), decimals(io.writeBytesPerS() / 1e9, 3),
            plan.diskBytesPerRank()),
        new PredictedBytes(predicted.paramBytes(), predicted.gradBytes(),
            predicted.optimizerBytes(), predicted.bufferBytes()),
        eval == null ? null : accuracy(eval), eval == null ? null : reconstructionLoss(eval),
        robust == null ? null : decimals(robust.accuracy(), 4),
        recoveries.stream().map(r -> new Recovery(r.epoch() + 1, r.fromStep(),
            decimals(r.secondsToResume(), 3), r.resumedAtMs())).toList());
  }

  /** The summary as one line of JSON. */
  String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Double accuracy(Evaluator.Result eval) {
    return eval.reconstructs() ? null : decimals(eval.accuracy(), 4);
  }

  private static Double reconstructionLoss(Evaluator.Result eval) {
    return eval.reconstructs() ? decimals(eval.reconstructionLoss(), 5) : null;
  }

  private static double decimals(double x, int places) {
    return Double.isFinite(x)
        ? BigDecimal.valueOf(x).setScale(places, RoundingMode.HALF_UP).doubleValue() : x;
  }

  private static double significant(double x, int digits) {
    return Double.isFinite(x) && x != 0
        ? new BigDecimal(x).round(new MathContext(digits, RoundingMode.HALF_UP)).doubleValue() : x;
  }
}
