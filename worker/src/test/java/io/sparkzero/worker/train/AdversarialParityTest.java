package io.sparkzero.worker.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkzero.worker.adv.AdvMode;
import io.sparkzero.worker.adv.AdvOptions;
import io.sparkzero.worker.adv.Adversary;
import io.sparkzero.worker.adv.AttackOptions;
import io.sparkzero.worker.data.LocalDataset;
import io.sparkzero.worker.offload.OffloadOptions;
import io.sparkzero.worker.optim.LearningRateSchedule;
import io.sparkzero.worker.optim.OptimizerOptions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * DisAdv and ConAdv on 2 ranks (threads, real Aeron), the zoo's small MLP, 6 steps of a global
 * batch of 16: which weights attacked each batch, τ = 0 against disadv, determinism, and every
 * stage against stage 0, bit for bit (as {@link ZeroParityTest} asks of clean steps: the
 * adversarial rows are the same on every stage, so the steps are too; stage 3 all-gathers the
 * attacker's weights from the shards).
 */
class AdversarialParityTest {
  private static final int STEPS = 6;
  private static final int GLOBAL_BATCH = 16;
  private static final OptimizerOptions ADAM = new OptimizerOptions("adam", 1e-2, 0.9, 0.9, 0.999, 1e-8);
  private static final LocalDataset DATA = RankGroup.dataset(STEPS * GLOBAL_BATCH, 5);
  private static final AttackOptions PGD = new AttackOptions(2, 8f / 255, 4f / 255, 0.8, true, 0f, 1f);
  @RegisterExtension static final RankGroup.Fixture AERON = new RankGroup.Fixture();

  @Test
  void eachBatchIsAttackedWithTheWeightsOfStepTMinusTau() throws Exception {
    for (int tau : new int[] {1, 2}) {
      Map<Integer, Adversary> adversaries = new ConcurrentHashMap<>();
      train(0, new AdvOptions(AdvMode.CONADV, tau, PGD), adversaries);
      for (Adversary adversary : adversaries.values()) {
        List<long[]> used = adversary.usedWeights();
        assertThat(used).hasSize(STEPS);
        for (long[] u : used) {
          assertThat(u[1]).as("tau %d, step %d: the weights held before step max(t - tau, 0)", tau, u[0])
              .isEqualTo(Math.max(u[0] - tau, 0));
        }
      }
    }
    // Restarting every 4 steps (checkpoint.every-steps 4): steps 4 and 5 take step 4's weights.
    Map<Integer, Adversary> restarted = new ConcurrentHashMap<>();
    train(runOf(0, OffloadOptions.none(), 1, false), new AdvOptions(AdvMode.CONADV, 2, PGD), restarted, 4, 0);
    assertThat(restarted.get(0).usedWeights()).extracting(u -> u[1]).containsExactly(0L, 0L, 0L, 1L, 4L, 4L);
    Map<Integer, Adversary> disadv = new ConcurrentHashMap<>();
    train(0, new AdvOptions(AdvMode.DISADV, 1, PGD), disadv);
    assertThat(disadv.get(0).usedWeights()).allSatisfy(u -> assertThat(u[1]).isEqualTo(u[0]));
  }

  @Test
  void conadvWithTau0IsDisadvAndRunsRepeatExactly() throws Exception {
    float[] disadv = train(0, new AdvOptions(AdvMode.DISADV, 0, PGD), new ConcurrentHashMap<>());
    float[] tau0 = train(0, new AdvOptions(AdvMode.CONADV, 0, PGD), new ConcurrentHashMap<>());
    assertThat(Arrays.equals(tau0, disadv)).as("conadv, tau 0, against disadv").isTrue();
    float[] conadv = train(0, new AdvOptions(AdvMode.CONADV, 1, PGD), new ConcurrentHashMap<>());
    float[] again = train(0, new AdvOptions(AdvMode.CONADV, 1, PGD), new ConcurrentHashMap<>());
    assertThat(Arrays.equals(again, conadv)).as("conadv twice, same seeds").isTrue();
    assertThat(Arrays.equals(conadv, disadv)).as("stale weights make other batches").isFalse();
    float[] clean = train(0, AdvOptions.NONE, new ConcurrentHashMap<>());
    assertThat(Arrays.equals(clean, disadv)).as("the adversarial rows reach the step").isFalse();
    float[] weighted = train(0, new AdvOptions(AdvMode.DISADV, 0, PGD, 0.25f), new ConcurrentHashMap<>());
    assertThat(Arrays.equals(weighted, disadv)).as("adv.weight reaches the loss").isFalse();
    assertThat(RankGroup.relativeL2(weighted, clean)).as("weight 0.25 lies nearer the clean run")
        .isLessThan(RankGroup.relativeL2(disadv, clean));
  }

  @Test
  void everyStageEndsWithTheParametersOfStage0() throws Exception {
    AdvOptions conadv = new AdvOptions(AdvMode.CONADV, 1, PGD);
    float[] reference = train(0, conadv, new ConcurrentHashMap<>());
    for (int stage = 1; stage <= 3; stage++) {
      Map<Integer, Adversary> adversaries = new ConcurrentHashMap<>();
      float[] params = train(stage, conadv, adversaries);
      assertThat(Arrays.equals(params, reference)).as("stage %d against stage 0 (relative L2 %s)", stage,
          RankGroup.relativeL2(params, reference)).isTrue();
      assertThat(adversaries.get(1).usedWeights()).allSatisfy(u -> assertThat(u[1]).isEqualTo(Math.max(u[0] - 1, 0)));
    }
  }

  /**
   * With gradient accumulation (2 micro-batches, each attacked on its own), offloaded state and
   * fp16 compute: accumulation at stage 1 equals stage 0 bit for bit (both add the micro-batches
   * before reducing); stage 3 with its parameter shard and optimizer state in host memory equals
   * stage 3 on the heap; an fp16 run (dynamic loss scale) ends with finite parameters, having
   * moved at least half as far from the initial ones as the fp32 run.
   */
  @Test
  void accumulationOffloadAndHalfPrecisionTakeAdversarialBatches(@org.junit.jupiter.api.io.TempDir java.nio.file.Path nvme)
      throws Exception {
    AdvOptions conadv = new AdvOptions(AdvMode.CONADV, 1, PGD);
    float[] micro0 = train(runOf(0, OffloadOptions.none(), 2, false), conadv, new ConcurrentHashMap<>());
    float[] micro1 = train(runOf(1, OffloadOptions.none(), 2, false), conadv, new ConcurrentHashMap<>());
    assertThat(Arrays.equals(micro1, micro0)).as("2 micro-batches, stage 1 against stage 0").isTrue();

    float[] heap3 = train(runOf(3, OffloadOptions.none(), 1, false), conadv, new ConcurrentHashMap<>());
    OffloadOptions host = new OffloadOptions(io.sparkzero.sharding.plan.OffloadPlan.Tier.of("host"),
        io.sparkzero.sharding.plan.OffloadPlan.Tier.of("host"), nvme.toString(), 3, 64 << 10);
    float[] offloaded = train(runOf(3, host, 1, false), conadv, new ConcurrentHashMap<>());
    assertThat(Arrays.equals(offloaded, heap3)).as("stage 3, host offload, against the heap").isTrue();

    float[] fp32 = train(runOf(2, OffloadOptions.none(), 1, false), conadv, new ConcurrentHashMap<>());
    float[] fp16 = train(runOf(2, OffloadOptions.none(), 1, true), conadv, new ConcurrentHashMap<>());
    for (float v : fp16) {
      assertThat(v).isFinite();
    }
    assertThat(Arrays.equals(fp16, fp32)).as("the fp16 run computed in 16 bits").isFalse();
    float[] initial = new float[fp32.length];
    io.sparkzero.worker.model.ModelZoo.build("mlp", 42).copyParamsTo(initial);
    // How close fp16 comes to fp32 with Adam is MixedPrecisionTest's matter (it uses SGD: Adam
    // magnifies the rounding of near-zero gradients); here: it trained, as far as fp32 did.
    assertThat(RankGroup.relativeL2(fp16, initial)).as("fp16 moved from the initial parameters")
        .isGreaterThan(0.5 * RankGroup.relativeL2(fp32, initial));
  }

  /**
   * A ComputationGraph with batch norm ({@code resnet}), attacked through its input-gradient twin:
   * the adversarial rows reach the step, and stage 3 (which all-gathers the attacker's weights)
   * ends with stage 0's parameters, bit for bit.
   */
  @Test
  void aGraphWithBatchNormTakesAdversarialBatchesAtStage3AsAtStage0() throws Exception {
    AdvOptions conadv = new AdvOptions(AdvMode.CONADV, 1, PGD);
    Map<Integer, Adversary> adversaries = new ConcurrentHashMap<>();
    float[] stage0 = train(resnet(0), conadv, adversaries);
    assertThat(adversaries.get(0).usedWeights()).hasSize(STEPS);
    float[] stage3 = train(resnet(3), conadv, new ConcurrentHashMap<>());
    assertThat(Arrays.equals(stage3, stage0)).as("stage 3 against stage 0 (relative L2 %s)",
        RankGroup.relativeL2(stage3, stage0)).isTrue();
    float[] clean = train(resnet(0), AdvOptions.NONE, new ConcurrentHashMap<>());
    assertThat(Arrays.equals(clean, stage0)).as("the adversarial rows reach the step").isFalse();
  }

  /**
   * {@code adv.separate-bn} on a network with batch norm ({@code resnet}): each micro-batch becomes
   * two (clean, adversarial), so the stages accumulate as they do with 2 micro-batches: stage 1
   * ends bit for bit where stage 0 does and stage 3 where stage 2 does. Stage 2 against stage 0
   * after one step (before the attack's weights can differ): each gradient element is a sum of
   * the same R P = 4 terms (2 ranks, 2 parts) in another order, within (R P - 1) u of the sum of
   * magnitudes; Adam's first step moves a parameter by lr g / (|g| + eps), so by at most lr (R P
   * - 1) u more, and the whole vector by lr (R P - 1) u sqrt(n) relative to its norm.
   */
  @Test
  void separateBatchNormStepsAtEveryStageAsAtStage0() throws Exception {
    AdvOptions separate = new AdvOptions(AdvMode.CONADV, 1, PGD, 1f, true);
    float[] stage0 = train(resnet(0), separate, new ConcurrentHashMap<>());
    float[] stage1 = train(resnet(1), separate, new ConcurrentHashMap<>());
    assertThat(Arrays.equals(stage1, stage0)).as("stage 1 against stage 0 (relative L2 %s)",
        RankGroup.relativeL2(stage1, stage0)).isTrue();
    float[] stage2 = train(resnet(2), separate, new ConcurrentHashMap<>());
    float[] stage3 = train(resnet(3), separate, new ConcurrentHashMap<>());
    assertThat(Arrays.equals(stage3, stage2)).as("stage 3 against stage 2 (relative L2 %s)",
        RankGroup.relativeL2(stage3, stage2)).isTrue();
    float[] oneStep0 = train(resnet(0), separate, new ConcurrentHashMap<>(), 0, STEPS - 1);
    float[] oneStep2 = train(resnet(2), separate, new ConcurrentHashMap<>(), 0, STEPS - 1);
    double norm = norm(oneStep0);
    double bound = ADAM.learningRate() * 3 * Math.ulp(1.0f) / 2 * Math.sqrt(oneStep0.length) / norm;
    assertThat(RankGroup.relativeL2(oneStep2, oneStep0)).as("one step, stage 2 against stage 0")
        .isLessThanOrEqualTo(bound);
  }

  /**
   * One step of {@code resnet} from the same parameters and batch: with separate batch norm the
   * running statistics end exactly where a clean step leaves them (the clean pass's update counts
   * twice, the adversarial pass's not at all, over a step of two parts); one pass over clean and
   * adversarial rows moves them elsewhere. The trained parameters differ from both: the
   * adversarial rows reach the step, normalised by their own statistics.
   */
  @Test
  void separateBatchNormMovesTheRunningStatisticsAsACleanStep() throws Exception {
    float[] clean = train(resnet(0), AdvOptions.NONE, new ConcurrentHashMap<>(), 0, STEPS - 1);
    float[] onePass = train(resnet(0), new AdvOptions(AdvMode.CONADV, 1, PGD), new ConcurrentHashMap<>(), 0,
        STEPS - 1);
    float[] separate = train(resnet(0), new AdvOptions(AdvMode.CONADV, 1, PGD, 1f, true),
        new ConcurrentHashMap<>(), 0, STEPS - 1);
    List<io.sparkzero.worker.model.ParamTensor> stats = io.sparkzero.worker.model.ModelZoo.build("resnet", 42)
        .tensors().stream().filter(t -> t.kind() == io.sparkzero.worker.model.ParamTensor.Kind.RUNNING_STAT)
        .toList();
    assertThat(stats).isNotEmpty();
    for (io.sparkzero.worker.model.ParamTensor t : stats) {
      int from = (int) t.offset();
      int to = from + (int) t.length();
      assertThat(Arrays.copyOfRange(separate, from, to)).as("%s, separate batch norm against a clean step", t.name())
          .containsExactly(Arrays.copyOfRange(clean, from, to));
    }
    boolean onePassMoved = stats.stream().anyMatch(t -> !Arrays.equals(
        Arrays.copyOfRange(onePass, (int) t.offset(), (int) (t.offset() + t.length())),
        Arrays.copyOfRange(clean, (int) t.offset(), (int) (t.offset() + t.length()))));
    assertThat(onePassMoved).as("one pass mixes the adversarial rows into the running statistics").isTrue();
    assertThat(Arrays.equals(separate, clean)).as("the adversarial rows reach the step").isFalse();
    assertThat(Arrays.equals(separate, onePass)).as("their own statistics normalise them").isFalse();
  }

  /**
   * Without batch norm ({@code mlp}) the two passes compute the one pass's step: the same loss
   * over the same rows, as two matrices of B rows against one of 2B, so only the kernels' sums run
   * in other orders. One Adam step (lr g / (|g| + eps)); bound: float32 rounding in dot products
   * of at most K = 784 terms (the widest fan-in), {@code K u}, times lr sqrt(n) over the norm.
   */
  @Test
  void withoutBatchNormTheTwoPassesStepAsOne() throws Exception {
    float[] onePass = train(runOf(0, OffloadOptions.none(), 1, false), new AdvOptions(AdvMode.CONADV, 1, PGD),
        new ConcurrentHashMap<>(), 0, STEPS - 1);
    float[] separate = train(runOf(0, OffloadOptions.none(), 1, false),
        new AdvOptions(AdvMode.CONADV, 1, PGD, 1f, true), new ConcurrentHashMap<>(), 0, STEPS - 1);
    float[] clean = train(runOf(0, OffloadOptions.none(), 1, false), AdvOptions.NONE, new ConcurrentHashMap<>(), 0,
        STEPS - 1);
    double norm = norm(onePass);
    double bound = ADAM.learningRate() * 784 * Math.ulp(1.0f) / 2 * Math.sqrt(onePass.length) / norm;
    assertThat(RankGroup.relativeL2(separate, onePass)).isLessThanOrEqualTo(bound);
    assertThat(RankGroup.relativeL2(separate, clean)).as("the adversarial rows reach the step")
        .isGreaterThan(bound);
  }

  private static double norm(float[] values) {
    double sum = 0;
    for (float v : values) {
      sum += (double) v * v;
    }
    return Math.sqrt(sum);
  }

  private static RankGroup.Run resnet(int stage) {
    RankGroup.Run mlp = runOf(stage, OffloadOptions.none(), 1, false);
    return new RankGroup.Run("resnet", 42, 2, mlp.zero(), mlp.offload(), ADAM, mlp.schedule(), 1, mlp.lossScale(),
        false);
  }

  private static RankGroup.Run runOf(int stage, OffloadOptions offload, int microBatches, boolean half) {
    return new RankGroup.Run("mlp", 42, 2, ZeroOptions.ofStage(stage), offload, ADAM,
        LearningRateSchedule.constant(ADAM.learningRate()), microBatches,
        half ? new LossScale.Options(true, 1024f, 1000, ZeroTrainer.DEFAULT_MAX_SKIPPED_STEPS)
            : LossScale.Options.fullPrecision(ZeroTrainer.DEFAULT_MAX_SKIPPED_STEPS), half);
  }

  private static float[] train(int stage, AdvOptions adv, Map<Integer, Adversary> adversaries) throws Exception {
    return train(runOf(stage, OffloadOptions.none(), 1, false), adv, adversaries);
  }

  private static float[] train(RankGroup.Run run, AdvOptions adv, Map<Integer, Adversary> adversaries)
      throws Exception {
    return train(run, adv, adversaries, 0, 0);
  }

  /** Trains global steps [fromStep, STEPS), the pipeline restarting every {@code restartEvery} steps. */
  private static float[] train(RankGroup.Run run, AdvOptions adv, Map<Integer, Adversary> adversaries,
      int restartEvery, int fromStep) throws Exception {
    RankGroup.Hooks hooks = new RankGroup.Hooks() {
      @Override
      public StepAugmenter augmenter(ZeroTrainer trainer, int rank) {
        if (!adv.enabled()) {
          return StepAugmenter.NONE;
        }
        Adversary adversary = new Adversary(adv, trainer, 9, rank, restartEvery);
        adversaries.put(rank, adversary);
        return adversary;
      }
    };
    try {
      return RankGroup.assemble(AERON.group().train(run, DATA, GLOBAL_BATCH, fromStep, STEPS, hooks));
    } finally {
      adversaries.values().forEach(Adversary::close);
    }
  }
}
