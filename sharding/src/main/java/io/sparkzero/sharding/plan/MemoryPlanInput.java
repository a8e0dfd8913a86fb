package io.sparkzero.sharding.plan;

/**
 * What the memory planner needs to know about a job.
 *
 * @param numParams the model's parameter count (psi), 1..2^50
 * @param worldSize data-parallel ranks (N), 1..2^24
 * @param precision number format of the compute copy of parameters and gradients
 * @param optimizerStateFloats fp32 state floats per parameter: Adam/LAMB 2, SGD with momentum or
 *     LARS 1, plain SGD 0; 0..64
 * @param largestLayerParams parameters of the largest layer, 1..numParams (stage 3 gathers whole
 *     layers)
 * @param layersInFlight layer-sized gather buffers at stage 3 (the computing layer, the prefetched
 *     ones and the output layer: {@code zero.prefetch-layers + 2}), 1..64
 */
public record MemoryPlanInput(
    long numParams,
    int worldSize,
    Precision precision,
    int optimizerStateFloats,
    long largestLayerParams,
    int layersInFlight) {

  /** Largest parameter count accepted; keeps every byte count well inside a long. */
  public static final long MAX_PARAMS = 1L << 50;

  public MemoryPlanInput {
    check("numParams", numParams, 1, MAX_PARAMS);
    check("worldSize", worldSize, 1, 1 << 24);
    if (precision == null) {
      throw new IllegalArgumentException("precision is missing: expected one of fp32, fp16, bf16");
    }
    check("optimizerStateFloats", optimizerStateFloats, 0, 64);
    check("largestLayerParams", largestLayerParams, 1, numParams);
    check("layersInFlight", layersInFlight, 1, 64);
  }

  /** The input for a planned partition: its size, world size and largest layer. */
  public static MemoryPlanInput of(
      PartitionPlan plan, Precision precision, int optimizerStateFloats, int layersInFlight) {
    return new MemoryPlanInput(
        plan.numParams(),
        plan.worldSize(),
        precision,
        optimizerStateFloats,
        plan.largestLayerLength(),
        layersInFlight);
  }

  /** The same job on {@code ranks} ranks. */
  public MemoryPlanInput withWorldSize(int ranks) {
    return new MemoryPlanInput(
        numParams, ranks, precision, optimizerStateFloats, largestLayerParams, layersInFlight);
  }

  /**
   * S: parameters in the largest shard of a balanced split, {@code ceil(numParams / worldSize)}.
   */
  public long shardParams() {
    return (numParams + worldSize - 1) / worldSize;
  }

  /**
   * K: optimizer-state bytes per parameter, 4 per fp32 state float, plus the 4-byte fp32 master
   * copy of the parameters when the compute copy is 16-bit.
   */
  public int optimizerBytesPerParam() {
    return 4 * optimizerStateFloats + (precision == Precision.FP32 ? 0 : 4);
  }

  private static void check(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + " = " + value + " is out of range: expected " + min + ".." + max);
    }
  }
}
