package io.sparkzero.worker.optim;

import io.sparkzero.sharding.collective.FloatBlock;

/**
 * Runs one optimizer step over a rank's region, streaming it through two small arrays: a chunk of
 * parameters and the matching chunk of gradients are copied in (one memcpy each), the gradients
 * scaled (the 1/N of the average, fused here rather than a separate pass over the vector), the
 * trained runs handed to the {@link ShardOptimizer}, running statistics updated with
 * {@code p -= g}, and the parameter chunk copied back.
 *
 * <p>Why chunks: parameters and gradients live where the stage puts them (DL4J's native vectors,
 * the rank's heap shard, later off-heap or NVMe tiers), and the optimizer loops stay plain
 * array loops the JIT vectorizes. The arrays are {@link #CHUNK_FLOATS} long (64 KiB each), small
 * enough to stay in cache between the copy and the update.
 */
public final class ShardStepper {
  /** Floats per chunk. */
  public static final int CHUNK_FLOATS = 16 * 1024;

  private final ShardOptimizer optimizer;
  private final OptimizerState state;
  private final RegionUpdate region;
  private final float[] paramChunk = new float[CHUNK_FLOATS];
  private final float[] gradChunk = new float[CHUNK_FLOATS];

  /**
   * @param state the optimizer's state for the region, {@code optimizer.stateSlots()} slots of
   *     {@code region.to() - region.from()} elements
   */
  public ShardStepper(ShardOptimizer optimizer, OptimizerState state, RegionUpdate region) {
    if (state.slots() != optimizer.stateSlots() || state.length() != region.to() - region.from()) {
      throw new IllegalArgumentException("optimizer state of " + state.slots() + " x "
          + state.length() + " does not fit an optimizer with " + optimizer.stateSlots()
          + " slots over a region of " + (region.to() - region.from()) + " elements");
    }
    this.optimizer = optimizer;
    this.state = state;
    this.region = region;
  }

  public ShardOptimizer optimizer() {
    return optimizer;
  }

  public OptimizerState state() {
    return state;
  }

  public RegionUpdate region() {
    return region;
  }

  /**
   * One optimizer step over the region.
   *
   * @param params holds flat element {@code paramsOrigin + i} at index {@code i}
   * @param grads holds flat element {@code gradsOrigin + i} at index {@code i}; read only
   * @param gradScale factor applied to every gradient first (1/N turns a sum into a mean)
   * @param learningRate this step's learning rate
   */
  public void step(FloatBlock params, int paramsOrigin, FloatBlock grads, int gradsOrigin,
      float gradScale, float learningRate) {
    step(ParamChunks.of(params, paramsOrigin), grads, gradsOrigin, gradScale, learningRate);
  }

  /**
   * One optimizer step over the region, its parameters read and written through {@code params}.
   *
   * @param grads holds flat element {@code gradsOrigin + i} at index {@code i}; read only
   */
  public void step(ParamChunks params, FloatBlock grads, int gradsOrigin, float gradScale,
      float learningRate) {
    optimizer.beginStep(learningRate);
    params.beginPass();
    state.beginPass();
    int run = 0;
    for (int chunkFrom = region.from(); chunkFrom < region.to(); chunkFrom += CHUNK_FLOATS) {
      int count = Math.min(CHUNK_FLOATS, region.to() - chunkFrom);
      int chunkTo = chunkFrom + count;
      params.load(chunkFrom, paramChunk, count);
      grads.copyTo(chunkFrom - gradsOrigin, gradChunk, 0, count);
      if (gradScale != 1f) {
        scale(gradChunk, count, gradScale);
      }
      OptimizerState.Window window = state.window(chunkFrom - region.from(), count);
      while (run < region.runCount() && region.runEnd(run) <= chunkFrom) {
        run++;
      }
      for (int r = run; r < region.runCount() && region.runStart(r) < chunkTo; r++) {
        int from = Math.max(chunkFrom, region.runStart(r));
        int to = Math.min(chunkTo, region.runEnd(r));
        if (region.runTrained(r)) {
          optimizer.update(paramChunk, gradChunk, from - chunkFrom, window.arrays(),
              window.index() + from - chunkFrom, to - from);
        } else {
          subtract(paramChunk, gradChunk, from - chunkFrom, to - from);
        }
      }
      params.store(chunkFrom, paramChunk, count);
    }
    state.endPass();
    params.endPass();
  }

  private static void scale(float[] values, int count, float factor) {
    for (int i = 0; i < count; i++) {
      values[i] *= factor;
    }
  }

  private static void subtract(float[] params, float[] grads, int index, int length) {
    for (int i = index, end = index + length; i < end; i++) {
      params[i] -= grads[i];
    }
  }
}
