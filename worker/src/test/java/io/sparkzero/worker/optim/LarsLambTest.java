package io.sparkzero.worker.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sparkzero.sharding.collective.FloatBlock;
import io.sparkzero.worker.model.ParamTensor;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * LARS and LAMB steps against values worked out by hand (in the comments) for small tensors: a
 * weight with round norms, a zero-norm weight, a weight with a zero gradient, and an excluded
 * bias. Tolerance 1e-6 absolute (float arithmetic on values of order 1).
 */
class LarsLambTest {

  // Four 2-element tensors: 0_W (norm 5), 1_W (all zero), 2_W (zero gradient), 0_b (excluded).
  private static final List<ParamTensor> TENSORS = List.of(
      new ParamTensor("0_W", 0, 2, ParamTensor.Kind.WEIGHT),
      new ParamTensor("0_b", 2, 2, ParamTensor.Kind.BIAS),
      new ParamTensor("1_W", 4, 2, ParamTensor.Kind.WEIGHT),
      new ParamTensor("2_W", 6, 2, ParamTensor.Kind.WEIGHT));
  private static final float EPS = 1e-6f;

  private static RegionUpdate region(int from, int to) {
    return RegionUpdate.of(TensorTable.of(TENSORS, Pattern.compile(TensorTable.DEFAULT_EXCLUDE)),
        from, to);
  }

  private static float[] params() {
    return new float[] {3f, 4f, 3f, 4f, 0f, 0f, 1f, 0f};
  }

  private static float[] grads() {
    return new float[] {0.6f, 0.8f, 0.6f, 0.8f, 0.6f, -0.8f, 0f, 0f};
  }

  private static final List<ParamTensor> NAMED = List.of(
      new ParamTensor("conv1_W", 0, 1, ParamTensor.Kind.WEIGHT),
      new ParamTensor("conv1_b", 1, 1, ParamTensor.Kind.BIAS),
      new ParamTensor("bn1_gamma", 2, 1, ParamTensor.Kind.NORM),
      new ParamTensor("bn1_beta", 3, 1, ParamTensor.Kind.NORM),
      new ParamTensor("bn1_mean", 4, 1, ParamTensor.Kind.RUNNING_STAT),
      new ParamTensor("emb_W", 5, 1, ParamTensor.Kind.WEIGHT));

  private static boolean[] excluded(TensorTable table) {
    boolean[] excluded = new boolean[NAMED.size()];
    for (int i = 0; i < excluded.length; i++) {
      excluded[i] = table.excluded(i);
    }
    return excluded;
  }

  @Test
  void defaultExclusionPatternPicksBiasesAndBatchNormScaleAndShift() {
    TensorTable table = TensorTable.of(NAMED, Pattern.compile(TensorTable.DEFAULT_EXCLUDE));
    assertThat(excluded(table)).containsExactly(false, true, true, true, false, false);
    assertThat(table.trained(4)).isFalse();
  }

  @Test
  void excludeNoneGivesEveryTensorTheTrustRatio() {
    OptimizerOptions lars = new OptimizerOptions("lars", 1, 0.9, 0.9, 0.999, 0, 1e-4, 1e-3,
        OptimizerOptions.EXCLUDE_NOTHING, 0);
    assertThat(excluded(lars.table(NAMED))).containsOnly(false);
  }

  @Test
  void larsMatchesHandComputedTwoSteps() {
    // η = 0.1, β = 0.01, ε = 0, m = 0.9, γ = 1.
    Lars lars = new Lars(0.9f, 0.01f, 0.1, 0);
    HeapState state = new HeapState(1, 8);
    ShardStepper stepper = new ShardStepper(lars, state, region(0, 8));
    float[] p = params();
    StepReport report = stepper.step(FloatBlock.of(p), 0, FloatBlock.of(grads()), 0, 1f, 1f);
    assertThat(report.applied()).isTrue();
    // 0_W: trust = 0.1*5 / (1 + 0.01*5) = 0.5/1.05; g' = g + 0.01 w = (0.63, 0.84);
    //      v = trust * g' = (0.3, 0.4); w = (2.7, 3.6)
    // 0_b (excluded): trust 1, no decay: v = g; w = (2.4, 3.2)
    // 1_W (|w| = 0): trust 1; g' = g; w = (-0.6, 0.8)
    // 2_W (|g| = 0): trust 1; g' = 0.01 w = (0.01, 0); w = (0.99, 0)
    assertThat(p).containsExactly(new float[] {2.7f, 3.6f, 2.4f, 3.2f, -0.6f, 0.8f, 0.99f, 0f},
        within(EPS));
    stepper.step(FloatBlock.of(p), 0, FloatBlock.of(grads()), 0, 1f, 1f);
    // 0_W: |w| = 4.5, trust = 0.45 / 1.045; g' = (0.627, 0.836) = 1.045 * (0.6, 0.8);
    //      v = 0.9 (0.3, 0.4) + 0.45 (0.6, 0.8) = (0.54, 0.72); w = (2.16, 2.88)
    // 0_b: v = 0.9 g + g = 1.9 g = (1.14, 1.52); w = (1.26, 1.68)
    // 1_W: |w| = 1, |g| = 1: trust = 0.1 / (1 + 0.01) ; g' = g + 0.01 w = (0.594, -0.792)
    //      = 0.99 (0.6, -0.8); v = 0.9 (0.6, -0.8) + (0.1 * 0.99 / 1.01) (0.6, -0.8)
    // 2_W: |g| = 0: trust 1; v = 0.9 * 0.01 + 0.01 * 0.99 = 0.0189; w = 0.99 - 0.0189
    double f = 0.9 + 0.1 * 0.99 / 1.01;
    assertThat(p).containsExactly(new float[] {2.16f, 2.88f, 1.26f, 1.68f,
        (float) (-0.6 - 0.6 * f), (float) (0.8 + 0.8 * f), 0.9711f, 0f}, within(EPS));
    assertThat(lars.stepCount()).isEqualTo(2);
  }

  @Test
  void lambMatchesHandComputedStep() {
    // β = (0.9, 0.999), ε = 1e-6, λ = 0.01, γ = 0.1. Step 1: m̂ = g, v̂ = g², so
    // m̂/(√v̂ + ε) = g/(|g| + ε), elementwise.
    Lamb lamb = new Lamb(0.9f, 0.999f, 1e-6f, 0.01f);
    HeapState state = new HeapState(2, 8);
    ShardStepper stepper = new ShardStepper(lamb, state, region(0, 8));
    float[] p = params();
    stepper.step(FloatBlock.of(p), 0, FloatBlock.of(grads()), 0, 1f, 0.1f);
    // 0_W: u = (0.6, 0.8)/(0.6 + ε, 0.8 + ε) + 0.01 (3, 4) ≈ (1.03, 1.04); r = 5 / |u| = 3.41593974
    //      w = w - 0.1 r u = (2.648158776, 3.644742694)
    // 0_b (excluded): u ≈ (1, 1), r = 1: w = (2.900000167, 3.900000125)
    // 1_W (|w| = 0): r = 1, u ≈ (1, -1): w = (-0.099999833, 0.099999875)
    // 2_W (g = 0): m = v = 0, u = 0.01 (1, 0); |w| = 1: r = 1 / 0.01 = 100;
    //      w = 1 - 0.1 * 100 * 0.01 = 0.9
    assertThat(p).containsExactly(new float[] {2.648158776f, 3.644742694f, 2.900000167f,
        3.900000125f, -0.099999833f, 0.099999875f, 0.9f, 0f}, within(EPS));
    float[] m = new float[8];
    state.read(0, 0, m, 0, 8);
    assertThat(m[0]).isCloseTo(0.06f, within(1e-7f)); // (1 - β₁) g
    assertThat(lamb.stepCount()).isEqualTo(1);
  }

  @Test
  void lambTrustRatioIsOneWhenBothNormsVanish() {
    // A zero weight with a zero gradient and no decay term: u = 0, w stays 0.
    Lamb lamb = new Lamb(0.9f, 0.999f, 1e-6f, 0.01f);
    ShardStepper stepper = new ShardStepper(lamb, new HeapState(2, 2), RegionUpdate.allTrained(0, 2));
    float[] p = {0f, 0f};
    stepper.step(FloatBlock.of(p), 0, FloatBlock.of(new float[] {0f, 0f}), 0, 1f, 0.1f);
    assertThat(p).containsExactly(0f, 0f);
    assertThat(Lamb.ratio(false, 0, 0)).isEqualTo(1);
    assertThat(Lamb.ratio(true, 4, 1)).isEqualTo(1);
    assertThat(Lamb.ratio(false, 4, 1)).isEqualTo(2);
  }

  /**
   * A region cut between two "ranks" that exchange their pieces' partial norms ends bit for bit
   * where one rank ends that sums the same two pieces itself (ZeRO stage 0 against stages 1-3).
   * Both rules, every cut point (including inside a tensor).
   */
  @Test
  void shardsExchangingPartialNormsMatchTheWholeRegionBitForBit() throws Exception {
    for (String rule : List.of("lars", "lamb")) {
      for (int cut = 1; cut < 8; cut++) {
        int[] bounds = {0, cut, 8};
        float[] whole = params();
        ShardOptimizer one = create(rule);
        new ShardStepper(one, new HeapState(one.stateSlots(), 8), region(0, 8), 0,
            StatPieces.all(bounds))
            .step(FloatBlock.of(whole), 0, FloatBlock.of(grads()), 0, 1f, 0.5f);
        float[] split = params();
        TwoRanks pair = new TwoRanks();
        Thread left = new Thread(() -> stepShard(rule, split, bounds, 0, pair));
        Thread right = new Thread(() -> stepShard(rule, split, bounds, 1, pair));
        left.start();
        right.start();
        left.join();
        right.join();
        assertThat(split).as("%s cut at %d", rule, cut).containsExactly(whole);
      }
    }
  }

  private static ShardOptimizer create(String rule) {
    return rule.equals("lars") ? new Lars(0.9f, 0.01f, 0.1, 0) : new Lamb(0.9f, 0.999f, 1e-6f, 0.01f);
  }

  private static void stepShard(String rule, float[] p, int[] bounds, int rank, TwoRanks pair) {
    ShardOptimizer opt = create(rule);
    int from = bounds[rank];
    int to = bounds[rank + 1];
    ShardStepper stepper = new ShardStepper(opt, new HeapState(opt.stateSlots(), to - from),
        region(from, to), 0, StatPieces.own(bounds, rank));
    stepper.step(ParamChunks.of(FloatBlock.of(p), 0), FloatBlock.of(grads()), 0, 1f, 0.5f,
        (rows, rowLength) -> pair.exchange(rank, rows, rowLength));
  }

  /** Two threads' rows of statistics: each hands in its own, waits for the other, takes both. */
  private static final class TwoRanks {
    private final java.util.concurrent.CyclicBarrier barrier = new java.util.concurrent.CyclicBarrier(2);
    private final float[][] rows = new float[2][];

    void exchange(int rank, float[] table, int rowLength) {
      try {
        rows[rank] = table.clone();
        barrier.await();
        int other = 1 - rank;
        System.arraycopy(rows[other], other * rowLength, table, other * rowLength, rowLength);
        barrier.await();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
