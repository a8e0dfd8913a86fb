package io.sparkzero.sharding.plan;

import java.util.List;

/**
 * A ZeRO stage: what a rank shards of the model state, and what follows from it (the region its
 * optimizer updates, the bytes it holds). The one place that knows what the stage numbers mean;
 * everything else asks the stage.
 *
 * <ul>
 *   <li>0, plain data parallelism: every rank holds all parameters, gradients and optimizer state;
 *   <li>1: the optimizer state is sharded;
 *   <li>2: and the gradients (each reduced only into its owner's shard);
 *   <li>3: and the parameters (gathered a layer at a time for the forward and the backward).
 * </ul>
 */
public enum ZeroStage {
  DATA_PARALLEL,
  OPTIMIZER_STATE,
  GRADIENTS,
  PARAMETERS;

  /** The stage numbered {@code number}, as in {@code zero.stage}. */
  public static ZeroStage of(int number) {
    if (number < 0 || number >= values().length) {
      throw new IllegalArgumentException(
          "zero.stage " + number + " does not exist: expected 0..3");
    }
    return values()[number];
  }

  /** The stage's number, 0..3. */
  public int number() {
    return ordinal();
  }

  /** Whether each rank keeps only its shard of the optimizer state (stages 1-3). */
  public boolean shardsOptimizerState() {
    return this != DATA_PARALLEL;
  }

  /** Whether each rank keeps only its shard of the reduced gradient (stages 2 and 3). */
  public boolean shardsGradients() {
    return compareTo(GRADIENTS) >= 0;
  }

  /** Whether each rank keeps only its shard of the parameters (stage 3). */
  public boolean shardsParameters() {
    return this == PARAMETERS;
  }

  /**
   * The flat elements rank {@code rank}'s optimizer updates: every parameter while the optimizer
   * state is whole, else the rank's shard.
   */
  public Range region(PartitionPlan plan, int rank) {
    return shardsOptimizerState() ? plan.shard(rank) : new Range(0, plan.numParams());
  }

  /** How many elements a rank's optimizer updates ({@link #region}) for the input's model. */
  public long regionElements(MemoryPlanInput in) {
    return shardsOptimizerState() ? in.shardParams() : in.numParams();
  }

  /** The stages above this one, lowest first. */
  public List<ZeroStage> higher() {
    return List.of(values()).subList(ordinal() + 1, values().length);
  }

  /** This stage and the ones above it, lowest first. */
  public List<ZeroStage> thisAndHigher() {
    return List.of(values()).subList(ordinal(), values().length);
  }

  /**
   * Bytes per rank at this stage, by the formulas in {@link MemoryPlanner}'s documentation: what
   * the stage shards is counted per shard (S elements), the rest per parameter (psi).
   */
  StageMemory memory(MemoryPlanInput in) {
    long b = in.precision().bytes();
    long k = in.optimizerBytesPerParam();
    long psi = in.numParams();
    long s = in.shardParams();
    // Adversarial steps: the attacker's fp32 network and snapshots, held through the epoch.
    long chunks = MemoryPlanner.OPTIMIZER_CHUNK_BYTES + 4 * psi * in.attackerCopies();
    long accumulator = in.accumulates() ? 4 * psi : 0; // fp32 sum of micro-batch gradients
    long master = in.precision() == Precision.FP32 ? 0 : 4; // stage 3's fp32 shard: the master
    return switch (this) {
      case DATA_PARALLEL -> new StageMemory(this, b * psi, b * psi + accumulator, k * psi, chunks);
      case OPTIMIZER_STATE -> new StageMemory(this, b * psi, b * psi + accumulator, k * s, chunks);
      case GRADIENTS -> new StageMemory(this, b * psi, 4 * s, k * s,
          in.stage2BufferElements() * b + chunks);
      case PARAMETERS -> new StageMemory(this, 4 * s, 4 * s, (k - master) * s,
          in.stage3BufferElements() * b + chunks);
    };
  }
}
