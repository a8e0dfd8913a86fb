package io.sparkzero.sharding.plan;

/**
 * What the memory planner needs to know about a job.
 *
 * @param numParams the model's parameter count (psi), 1..2^50
 * @param worldSize data-parallel ranks (N), 1..2^24
 * @param precision number format of the compute copy of parameters and gradients
 * @param optimizerStateFloats fp32 state floats per parameter: Adam/LAMB 2, SGD with momentum or
 *     LARS 1, plain SGD 0; 0..64
 * @param stage2BufferElements the most elements of layer gradients a stage-2 step holds at once
 *     ({@link LayerSchedule}), 0..numParams
 * @param stage3BufferElements the most elements of gathered layers and layer gradients a stage-3
 *     step holds at once ({@link LayerSchedule}), 0..3 numParams
 * @param accumulates whether steps sum several micro-batches' gradients: at stages 0 and 1 into
 *     an fp32 buffer as large as the gradient (stages 2 and 3 sum into the gradient shard)
 * @param attackerCopies fp32 copies of all the parameters that adversarial steps hold per rank
 *     (the attacker's network and its weight snapshots), 0 without them; 0..1024
 */
public record MemoryPlanInput(
    long numParams,
    int worldSize,
    Precision precision,
    int optimizerStateFloats,
    long stage2BufferElements,
    long stage3BufferElements,
    boolean accumulates,
    int attackerCopies) {

  /** A job without adversarial steps. */
  public MemoryPlanInput(long numParams, int worldSize, Precision precision, int optimizerStateFloats,
      long stage2BufferElements, long stage3BufferElements, boolean accumulates) {
    this(numParams, worldSize, precision, optimizerStateFloats, stage2BufferElements, stage3BufferElements,
        accumulates, 0);
  }

  /** A job that takes one micro-batch per step. */
  public MemoryPlanInput(long numParams, int worldSize, Precision precision,
      int optimizerStateFloats, long stage2BufferElements, long stage3BufferElements) {
    this(numParams, worldSize, precision, optimizerStateFloats, stage2BufferElements,
        stage3BufferElements, false);
  }

  /** Largest parameter count accepted; keeps every byte count well inside a long. */
  public static final long MAX_PARAMS = 1L << 50;

  public MemoryPlanInput {
    check("numParams", numParams, 1, MAX_PARAMS);
    check("worldSize", worldSize, 1, 1 << 24);
    if (precision == null) {
      throw new IllegalArgumentException("precision is missing: expected one of fp32, fp16, bf16");
    }
    check("optimizerStateFloats", optimizerStateFloats, 0, 64);
    check("stage2BufferElements", stage2BufferElements, 0, numParams);
    check("stage3BufferElements", stage3BufferElements, 0, 3 * numParams);
    check("attackerCopies", attackerCopies, 0, 1024);
  }

  /**
   * The input when only the largest layer is known (the command line's parameter-count form):
   * upper bounds of the step buffers, two layer gradients at stage 2 and {@code prefetch + 1}
   * gathered layers plus two gradients at stage 3, each as large as the largest layer.
   */
  public static MemoryPlanInput withLargestLayer(long numParams, int worldSize,
      Precision precision, int optimizerStateFloats, long largestLayerParams, int prefetch) {
    check("numParams", numParams, 1, MAX_PARAMS);
    check("largestLayerParams", largestLayerParams, 1, numParams);
    check("prefetch", prefetch, 0, 64);
    return new MemoryPlanInput(numParams, worldSize, precision, optimizerStateFloats,
        Math.min(numParams, 2 * largestLayerParams),
        Math.min(3 * numParams, LayerSchedule.stage3UpperBound(largestLayerParams, prefetch)));
  }

  /** The input for a planned partition: its size, world size and the step buffers of its layers. */
  public static MemoryPlanInput of(
      PartitionPlan plan, Precision precision, int optimizerStateFloats, int prefetch) {
    long[] layers = new long[plan.layerCount()];
    for (int i = 0; i < layers.length; i++) {
      layers[i] = plan.layer(i).length();
    }
    return new MemoryPlanInput(
        plan.numParams(),
        plan.worldSize(),
        precision,
        optimizerStateFloats,
        LayerSchedule.stage2Elements(layers),
        LayerSchedule.stage3Elements(layers, prefetch));
  }

  /** The same job on {@code ranks} ranks. */
  public MemoryPlanInput withWorldSize(int ranks) {
    return new MemoryPlanInput(
        numParams, ranks, precision, optimizerStateFloats, stage2BufferElements,
        stage3BufferElements, accumulates, attackerCopies);
  }

  /** The same job summing several micro-batches per step (gradient accumulation). */
  public MemoryPlanInput withAccumulation() {
    return new MemoryPlanInput(
        numParams, worldSize, precision, optimizerStateFloats, stage2BufferElements,
        stage3BufferElements, true, attackerCopies);
  }

  /** The same job with adversarial steps whose attacker holds {@code copies} fp32 parameter copies. */
  public MemoryPlanInput withAttacker(int copies) {
    return new MemoryPlanInput(
        numParams, worldSize, precision, optimizerStateFloats, stage2BufferElements,
        stage3BufferElements, accumulates, copies);
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
