package io.sparkzero.sharding.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * Per-rank memory of each ZeRO stage before launch, following the per-stage formulas of ZeRO
 * (Rajbhandari et al., SC 2020) as docs/METHODS.md states them for this code. Notation: psi parameters, N ranks,
 * S = ceil(psi / N) parameters in the largest shard, b bytes per element of the compute copy of
 * parameters and gradients ({@link Precision#bytes()}), K optimizer bytes per parameter ({@link
 * MemoryPlanInput#optimizerBytesPerParam()}: 4 per fp32 state float, plus a 4-byte fp32 master
 * copy with 16-bit compute, so mixed-precision Adam has K = 12 as in the paper).
 *
 * <table>
 *   <caption>Bytes per rank</caption>
 *   <tr><th>stage</th><th>params</th><th>grads</th><th>optimizer</th><th>buffers</th></tr>
 *   <tr><td>0</td><td>b psi</td><td>b psi</td><td>K psi</td><td>C</td></tr>
 *   <tr><td>1</td><td>b psi</td><td>b psi</td><td>K S</td><td>C</td></tr>
 *   <tr><td>2</td><td>b psi</td><td>b S</td><td>K S</td><td>B2 b + C</td></tr>
 *   <tr><td>3</td><td>b S</td><td>b S</td><td>K S</td><td>B3 b + C</td></tr>
 * </table>
 *
 * <p>With gradient accumulation ({@link MemoryPlanInput#accumulates}) stages 0 and 1 add an fp32
 * buffer of 4 psi bytes to the gradients, where micro-batch gradients are summed; stages 2 and 3
 * sum into the gradient shard.
 *
 * <p>Adversarial steps ({@link MemoryPlanInput#attackerCopies}) add 4 psi bytes per copy to the
 * buffers at every stage: the attacker's fp32 network and the weight snapshots it attacks with
 * (up to τ + 1 for ConAdv; stage 3 gathers each snapshot whole).
 *
 * <p>With 16-bit compute (b = 2) stages 2 and 3 differ from the paper's table where the engine
 * keeps fp32: the gradient shard is fp32 (4 S: micro-batches and ranks are summed in fp32), stage
 * 3's parameter shard is the fp32 master itself (4 S under parameters, K - 4 under optimizer). The
 * layer buffers in flight stay 16-bit (B b): the collectives move 16-bit blocks as they are and sum
 * them in fp32 a chunk at a time, so no buffer needs an fp32 twin:
 *
 * <table>
 *   <caption>Bytes per rank, 16-bit compute, stages 2 and 3</caption>
 *   <tr><th>stage</th><th>params</th><th>grads</th><th>optimizer</th><th>buffers</th></tr>
 *   <tr><td>2</td><td>b psi</td><td>4 S</td><td>K S</td><td>B2 b + C</td></tr>
 *   <tr><td>3</td><td>4 S</td><td>4 S</td><td>(K - 4) S</td><td>B3 b + C</td></tr>
 * </table>
 *
 * <p>The persistent columns of stages 0 and 1 are the paper's: with b = 2, K = 12 they give
 * 16 psi and 4 psi + 12 psi/N; stage 2 gives 2 psi + 16 psi/N (the paper: 14) and stage 3 16 psi/N
 * as in the paper. Buffers are what the engine adds during a step, as it allocates
 * them: C = {@link #OPTIMIZER_CHUNK_BYTES}, the two arrays the optimizer streams the shard
 * through; at stages 2 and 3 the layer-sized buffers in flight, B2 and B3 elements at their peak
 * ({@link LayerSchedule}): layer gradients (one being written, one being reduce-scattered) and at
 * stage 3 the gathered layers (the computing one and the prefetched ones).
 */
public final class MemoryPlanner {

  /**
   * Bytes of the two chunk arrays through which the optimizer streams a shard (16 Ki floats
   * each; the worker's {@code ShardStepper}).
   */
  public static final long OPTIMIZER_CHUNK_BYTES = 2L * 16 * 1024 * Float.BYTES;

  /** The largest world size {@link #check} considers when suggesting more ranks. */
  public static final int WORLD_SIZE_SEARCH_LIMIT = 65536;

  /** The components of {@link StageMemory}, in the order {@link #check} accumulates them. */
  private static final String[] COMPONENTS = {
    "parameters", "gradients", "optimizer state", "buffers"
  };

  private MemoryPlanner() {}

  /** Bytes per rank at {@code stage}, by the formulas in the class documentation. */
  public static StageMemory plan(MemoryPlanInput in, ZeroStage stage) {
    return stage.memory(in);
  }

  /**
   * Bytes per rank at {@code stage} with the optimizer state where {@code offload} puts it (the
   * rank's region: every parameter at stage 0, its shard otherwise).
   */
  public static StageMemory plan(MemoryPlanInput in, ZeroStage stage, OffloadPlan offload) {
    return offload.apply(plan(in, stage), in.optimizerStateFloats(), stage.regionElements(in));
  }

  /** Stages 0 to 3, in order. */
  public static List<StageMemory> planAll(MemoryPlanInput in) {
    List<StageMemory> stages = new ArrayList<>(4);
    for (ZeroStage stage : ZeroStage.values()) {
      stages.add(plan(in, stage));
    }
    return List.copyOf(stages);
  }

  /**
   * Whether {@code stage}'s peak bytes fit {@code budgetBytes} per rank. When they do not, names
   * the first component (parameters, gradients, optimizer state, buffers, accumulated in that
   * order) whose running total exceeds the budget and suggests the lowest higher stage that fits;
   * failing that, the smallest world size (up to {@link #WORLD_SIZE_SEARCH_LIMIT}) at which stage 3
   * fits; or says that no world size helps because stage 3's buffers leave no room.
   */
  public static MemoryFit check(MemoryPlanInput in, ZeroStage stage, long budgetBytes) {
    return check(in, stage, OffloadPlan.none(), budgetBytes);
  }

  /**
   * {@link #check(MemoryPlanInput, ZeroStage, long)} with the optimizer state where {@code offload}
   * puts it; when the state does not fit in memory, the advice also names the offload tier that
   * would make it fit.
   */
  public static MemoryFit check(MemoryPlanInput in, ZeroStage stage, OffloadPlan offload,
      long budgetBytes) {
    if (budgetBytes < 1) {
      throw new IllegalArgumentException("budgetBytes must be >= 1, got " + budgetBytes);
    }
    StageMemory m = plan(in, stage, offload);
    String needs = "zero.stage " + stage.number() + " needs " + Bytes.format(m.peakBytes())
        + " per rank (" + breakdown(m) + ")";
    if (m.peakBytes() <= budgetBytes) {
      return new MemoryFit(
          true, "", needs + " and fits the budget of " + Bytes.format(budgetBytes));
    }
    String component = firstOverBudget(m, budgetBytes);
    String verb = component.equals("optimizer state") ? " does" : " do";
    String message = needs + " but the budget is " + Bytes.format(budgetBytes) + ": the "
        + component + verb + " not fit; " + FitAdvice.suggest(in, stage, offload, budgetBytes);
    return new MemoryFit(false, component, message);
  }

  /** A fixed-width table of all stages with a header line naming psi, N, precision and K. */
  public static String table(MemoryPlanInput in) {
    return MemoryTable.render(in, planAll(in));
  }

  private static long[] components(StageMemory m) {
    return new long[] {m.paramBytes(), m.gradBytes(), m.optimizerBytes(), m.bufferBytes()};
  }

  private static String breakdown(StageMemory m) {
    long[] bytes = components(m);
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < bytes.length; i++) {
      s.append(i == 0 ? "" : ", ").append(COMPONENTS[i]).append(' ').append(Bytes.format(bytes[i]));
    }
    return s.toString();
  }

  private static String firstOverBudget(StageMemory m, long budgetBytes) {
    long[] bytes = components(m);
    long total = 0;
    for (int i = 0; i < bytes.length; i++) {
      total += bytes[i];
      if (total > budgetBytes) {
        return COMPONENTS[i];
      }
    }
    throw new IllegalStateException("peak bytes over budget but no component is: " + m);
  }
}
