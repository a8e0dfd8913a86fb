package io.sparkzero.worker.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkzero.worker.adv.AdvMode;
import io.sparkzero.worker.adv.AdvOptions;
import io.sparkzero.worker.adv.Adversary;
import io.sparkzero.worker.adv.AttackOptions;
import io.sparkzero.worker.data.LocalDataset;
import io.sparkzero.worker.model.ModelZoo;
import io.sparkzero.worker.offload.OffloadOptions;
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
 * stage that holds the full parameters against stage 0, bit for bit (as {@link ZeroParityTest}
 * asks of clean steps: the adversarial rows are the same on every stage, so the steps are too).
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
  }

  @Test
  void everyReplicatedStageEndsWithTheParametersOfStage0() throws Exception {
    AdvOptions conadv = new AdvOptions(AdvMode.CONADV, 1, PGD);
    float[] reference = train(0, conadv, new ConcurrentHashMap<>());
    for (int stage = 1; stage <= 2; stage++) {
      float[] params = train(stage, conadv, new ConcurrentHashMap<>());
      assertThat(Arrays.equals(params, reference)).as("stage %d against stage 0 (relative L2 %s)", stage,
          RankGroup.relativeL2(params, reference)).isTrue();
    }
  }

  @Test
  void stage3IsRefusedWithWhatIsSupported() {
    ZeroTrainer trainer = ZeroTrainer.create(ModelZoo.build("mlp", 1), ADAM, ZeroOptions.ofStage(3), 0, 1);
    try {
      assertThatThrownBy(() -> new Adversary(new AdvOptions(AdvMode.CONADV, 1, PGD), trainer, 1, 0))
          .hasMessageContaining("zero.stage 0, 1 or 2");
    } finally {
      trainer.close();
    }
  }

  private static float[] train(int stage, AdvOptions adv, Map<Integer, Adversary> adversaries) throws Exception {
    RankGroup.Hooks hooks = new RankGroup.Hooks() {
      @Override
      public StepAugmenter augmenter(ZeroTrainer trainer, int rank) {
        if (!adv.enabled()) {
          return StepAugmenter.NONE;
        }
        Adversary adversary = new Adversary(adv, trainer, 9, rank);
        adversaries.put(rank, adversary);
        return adversary;
      }
    };
    try {
      return RankGroup.assemble(AERON.group().train(new RankGroup.Run("mlp", 42, 2, ZeroOptions.ofStage(stage),
          OffloadOptions.none(), ADAM), DATA, GLOBAL_BATCH, 0, STEPS, hooks));
    } finally {
      adversaries.values().forEach(Adversary::close);
    }
  }
}
