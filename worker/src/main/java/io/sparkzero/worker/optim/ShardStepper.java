package io.sparkzero.worker.optim;

import io.sparkzero.sharding.collective.FloatBlock;
import java.util.Arrays;

/**
 * Runs one optimizer step over a rank's region, streaming it through two small arrays: a chunk of
 * parameters and the matching chunk of gradients are copied in (one memcpy each), the gradients
 * scaled (the 1/N of the average, fused here rather than a separate pass over the vector), the
 * trained runs handed to the {@link ShardOptimizer}, running statistics updated with
 * {@code p -= g}, and the parameter chunk copied back.
 *
 * <p>Before the update a statistics sweep reads the region's gradients (and its weights, for
 * rules that need them) and sums each tensor's squares; one small all-reduce over the ranks
 * ({@link SumReducer}) completes every tensor's norm, however the shards cut it. From those: an
 * inf or NaN in any rank's gradients skips the step on every rank (parameters, optimizer state
 * and step count untouched), the global norm clips the gradient when it exceeds the clip norm,
 * and LARS gets its per-tensor norms. LAMB's second sweep runs after another all-reduce of its
 * update norms.
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
  private final double clipNorm;
  private final TensorNorms norms;
  private final float[] stats;
  private final double[] partial;
  private final float[] paramChunk = new float[CHUNK_FLOATS];
  private final float[] gradChunk = new float[CHUNK_FLOATS];

  /** A stepper without gradient clipping. */
  public ShardStepper(ShardOptimizer optimizer, OptimizerState state, RegionUpdate region) {
    this(optimizer, state, region, 0);
  }

  /**
   * @param state the optimizer's state for the region, {@code optimizer.stateSlots()} slots of
   *     {@code region.to() - region.from()} elements
   * @param clipNorm clip the averaged gradient to this global L2 norm; 0: no clipping
   */
  public ShardStepper(ShardOptimizer optimizer, OptimizerState state, RegionUpdate region,
      double clipNorm) {
    if (state.slots() != optimizer.stateSlots() || state.length() != region.to() - region.from()) {
      throw new IllegalArgumentException("optimizer state of " + state.slots() + " x "
          + state.length() + " does not fit an optimizer with " + optimizer.stateSlots()
          + " slots over a region of " + (region.to() - region.from()) + " elements");
    }
    if (!(clipNorm >= 0) || Double.isInfinite(clipNorm)) {
      throw new IllegalArgumentException("clip norm " + clipNorm + ": expected 0 (off) or a"
          + " positive finite norm");
    }
    this.optimizer = optimizer;
    this.state = state;
    this.region = region;
    this.clipNorm = clipNorm;
    int tensors = region.tensors().count();
    this.norms = new TensorNorms(region.tensors());
    this.stats = new float[1 + (optimizer.needsWeightNorms() ? 2 : 1) * tensors];
    this.partial = new double[stats.length];
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
   * One optimizer step over a region that is the whole model (or whose rank is alone): no sums
   * across ranks.
   *
   * @param params holds flat element {@code paramsOrigin + i} at index {@code i}
   * @param grads holds flat element {@code gradsOrigin + i} at index {@code i}; read only
   * @param gradScale factor applied to every gradient first (1/N turns a sum into a mean)
   * @param learningRate this step's learning rate
   */
  public StepReport step(FloatBlock params, int paramsOrigin, FloatBlock grads, int gradsOrigin,
      float gradScale, float learningRate) {
    return step(ParamChunks.of(params, paramsOrigin), grads, gradsOrigin, gradScale, learningRate,
        SumReducer.LOCAL);
  }

  /**
   * One optimizer step over the region, its parameters read and written through {@code params}.
   *
   * @param grads holds flat element {@code gradsOrigin + i} at index {@code i}; read only
   * @param reducer sums the per-tensor statistics over the ranks (every rank calls it the same
   *     number of times, in the same order)
   */
  public StepReport step(ParamChunks params, FloatBlock grads, int gradsOrigin, float gradScale,
      float learningRate, SumReducer reducer) {
    sumSquares(params, grads, gradsOrigin);
    reducer.sum(stats);
    int tensors = region.tensors().count();
    double gradSq = 0;
    for (int t = 0; t < tensors; t++) {
      if (region.tensors().trained(t)) {
        gradSq += stats[1 + t];
      }
    }
    double scale2 = (double) gradScale * gradScale;
    double gradNorm = Math.sqrt(gradSq * scale2);
    if (stats[0] != 0 || !Double.isFinite(gradNorm)) {
      return new StepReport(false, stats[0] != 0 ? Double.NaN : gradNorm, 1);
    }
    double clip = clipNorm > 0 && gradNorm > clipNorm ? clipNorm / gradNorm : 1;
    boolean withWeights = optimizer.needsWeightNorms();
    for (int t = 0; t < tensors; t++) {
      norms.set(t, stats[1 + t] * scale2 * clip * clip, withWeights ? stats[1 + tensors + t] : 0);
    }
    optimizer.beginStep(learningRate, norms);
    sweep(params, grads, gradsOrigin, gradScale, (float) clip);
    if (optimizer.secondSweep()) {
      reducer.sum(optimizer.sweepSums());
      optimizer.beginSecondSweep();
      sweep(params, null, 0, 1f, 1f);
    }
    return new StepReport(true, gradNorm, clip);
  }

  /**
   * Fills {@link #stats}: [0] 1 if any gradient of the region is inf or NaN, then each tensor's
   * Σg² over this region (unscaled), then, if the rule wants them, each tensor's Σw².
   */
  private void sumSquares(ParamChunks params, FloatBlock grads, int gradsOrigin) {
    Arrays.fill(partial, 0);
    int tensors = region.tensors().count();
    boolean withWeights = optimizer.needsWeightNorms();
    double runningStats = 0; // only checked for being finite
    if (withWeights) {
      params.beginPass();
    }
    for (int r = 0; r < region.runCount(); r++) {
      int t = region.runTensor(r);
      boolean trained = region.runTrained(r);
      for (int from = region.runStart(r); from < region.runEnd(r); from += CHUNK_FLOATS) {
        int count = Math.min(CHUNK_FLOATS, region.runEnd(r) - from);
        grads.copyTo(from - gradsOrigin, gradChunk, 0, count);
        double g2 = sumOfSquares(gradChunk, count);
        if (withWeights) { // consecutive chunks: an offloaded store streams them in order
          params.load(from, paramChunk, count);
        }
        if (!trained) {
          runningStats += g2;
        } else {
          partial[1 + t] += g2;
          if (withWeights) {
            partial[1 + tensors + t] += sumOfSquares(paramChunk, count);
          }
        }
      }
    }
    if (withWeights) {
      params.endPass();
    }
    boolean finite = Double.isFinite(runningStats);
    for (int t = 0; t < tensors; t++) {
      finite &= Double.isFinite(partial[1 + t]);
    }
    stats[0] = finite ? 0 : 1;
    for (int i = 1; i < stats.length; i++) {
      stats[i] = (float) partial[i];
    }
  }

  private static double sumOfSquares(float[] values, int count) {
    double sum = 0;
    for (int i = 0; i < count; i++) {
      float v = values[i];
      sum += v * v;
    }
    return sum;
  }

  /**
   * One pass over the region in chunks: with {@code grads}, the first sweep (gradients scaled,
   * clipped on trained runs, handed to {@link ShardOptimizer#update}; running statistics get
   * {@code p -= g}); without, the second ({@link ShardOptimizer#apply} on trained runs).
   */
  private void sweep(ParamChunks params, FloatBlock grads, int gradsOrigin, float gradScale,
      float clip) {
    boolean first = grads != null;
    boolean storeParams = !first || !optimizer.secondSweep();
    params.beginPass();
    state.beginPass();
    int run = 0;
    for (int chunkFrom = region.from(); chunkFrom < region.to(); chunkFrom += CHUNK_FLOATS) {
      int count = Math.min(CHUNK_FLOATS, region.to() - chunkFrom);
      int chunkTo = chunkFrom + count;
      params.load(chunkFrom, paramChunk, count);
      if (first) {
        grads.copyTo(chunkFrom - gradsOrigin, gradChunk, 0, count);
        if (gradScale != 1f) {
          scale(gradChunk, 0, count, gradScale);
        }
      }
      OptimizerState.Window window = state.window(chunkFrom - region.from(), count);
      while (run < region.runCount() && region.runEnd(run) <= chunkFrom) {
        run++;
      }
      for (int r = run; r < region.runCount() && region.runStart(r) < chunkTo; r++) {
        int from = Math.max(chunkFrom, region.runStart(r));
        int to = Math.min(chunkTo, region.runEnd(r));
        int at = from - chunkFrom;
        if (!region.runTrained(r)) {
          if (first) {
            subtract(paramChunk, gradChunk, at, to - from);
          }
        } else if (first) {
          if (clip != 1f) {
            scale(gradChunk, at, to - from, clip);
          }
          optimizer.update(paramChunk, gradChunk, at, window.arrays(), window.index() + at,
              to - from, region.runTensor(r));
        } else {
          optimizer.apply(paramChunk, at, window.arrays(), window.index() + at, to - from,
              region.runTensor(r));
        }
      }
      if (storeParams || hasRunningStats(run, chunkTo)) {
        params.store(chunkFrom, paramChunk, count);
      }
    }
    state.endPass();
    params.endPass();
  }

  /** Whether a run of running statistics overlaps the chunk ending at {@code chunkTo}. */
  private boolean hasRunningStats(int firstRun, int chunkTo) {
    for (int r = firstRun; r < region.runCount() && region.runStart(r) < chunkTo; r++) {
      if (!region.runTrained(r)) {
        return true;
      }
    }
    return false;
  }

  private static void scale(float[] values, int from, int count, float factor) {
    for (int i = from, end = from + count; i < end; i++) {
      values[i] *= factor;
    }
  }

  private static void subtract(float[] params, float[] grads, int index, int length) {
    for (int i = index, end = index + length; i < end; i++) {
      params[i] -= grads[i];
    }
  }
}
