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
 * rules that need them) and sums each tensor's squares. The sums are taken per piece of the
 * partition plan ({@link StatPieces}) and the pieces' sums added in piece order, after a small
 * exchange of the pieces other ranks hold ({@link PieceExchange}), so a tensor's norm is the same
 * float however the shards cut it and at whatever ZeRO stage. From those: an inf or NaN in any
 * rank's gradients skips the step on every rank (parameters, optimizer state and step count
 * untouched), the global norm clips the gradient when it exceeds the clip norm, and LARS gets its
 * per-tensor norms. LAMB's second sweep runs after the same exchange of its update norms.
 *
 * <p>Why chunks: parameters and gradients live where the stage puts them (DL4J's native vectors,
 * the rank's heap shard, an offloaded shard in host memory or NVMe files), and the optimizer
 * loops stay loops over plain arrays ({@link UpdateLoops}, on the Vector API where the JVM has
 * it). The arrays are {@link #CHUNK_FLOATS} long (64 KiB each), small enough to stay in cache
 * between the copy and the update.
 */
public final class ShardStepper {
  /** Floats per chunk. */
  public static final int CHUNK_FLOATS = 16 * 1024;

  private final ShardOptimizer optimizer;
  private final OptimizerState state;
  private final RegionUpdate region;
  private final double clipNorm;
  private final TensorNorms norms;
  private final StatPieces pieces;
  private final int rowLength; // statistics per piece: the inf/NaN flag, Σg² (and Σw²) per tensor
  private final float[] rows; // one row per piece of the plan
  private final double[] totals; // the rows added in piece order
  private final SquareSums partial; // one piece's sums, by the same slots as a row
  private float[] sweepRows = new float[0]; // LAMB's Σu², Σw² per tensor, one row per piece
  private double[] sweepTotals = new double[0];
  private final float[] paramChunk = new float[CHUNK_FLOATS];
  private final float[] gradChunk = new float[CHUNK_FLOATS];

  /** A stepper without gradient clipping, its region summed as one piece. */
  public ShardStepper(ShardOptimizer optimizer, OptimizerState state, RegionUpdate region) {
    this(optimizer, state, region, 0);
  }

  /** A stepper whose region is summed as one piece (a rank alone, unit tests). */
  public ShardStepper(ShardOptimizer optimizer, OptimizerState state, RegionUpdate region,
      double clipNorm) {
    this(optimizer, state, region, clipNorm, StatPieces.single(region.from(), region.to()));
  }

  /**
   * @param state the optimizer's state for the region, {@code optimizer.stateSlots()} slots of
   *     {@code region.to() - region.from()} elements
   * @param clipNorm clip the averaged gradient to this global L2 norm; 0: no clipping
   * @param pieces the plan's shards, of which the region covers {@code pieces.count()}
   */
  public ShardStepper(ShardOptimizer optimizer, OptimizerState state, RegionUpdate region,
      double clipNorm, StatPieces pieces) {
    if (pieces.regionFrom() != region.from() || pieces.regionTo() != region.to()) {
      throw new IllegalArgumentException("region [" + region.from() + ", " + region.to()
          + ") is not pieces " + pieces.first() + ".." + (pieces.first() + pieces.count() - 1)
          + " [" + pieces.regionFrom() + ", " + pieces.regionTo() + ")");
    }
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
    this.pieces = pieces;
    this.rowLength = 1 + (optimizer.needsWeightNorms() ? 2 : 1) * tensors;
    this.rows = new float[pieces.total() * rowLength];
    this.totals = new double[rowLength];
    this.partial = new SquareSums(rowLength);
  }

  /** Whether this JVM runs the rules' loops on the Vector API ({@link UpdateLoops}). */
  public static boolean vectorLoops() {
    return UpdateLoops.VECTOR;
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
        PieceExchange.LOCAL);
  }

  /**
   * One optimizer step over the region, its parameters read and written through {@code params}.
   *
   * @param grads holds flat element {@code gradsOrigin + i} at index {@code i}; read only
   * @param exchange fetches the statistics of the pieces other ranks cover (every rank calls it
   *     the same number of times, in the same order)
   */
  public StepReport step(ParamChunks params, FloatBlock grads, int gradsOrigin, float gradScale,
      float learningRate, PieceExchange exchange) {
    sumSquares(params, grads, gradsOrigin);
    exchange.gather(rows, rowLength);
    addRows(rows, rowLength, totals);
    boolean finite = true; // element 0 of each row: 1 where that piece had an inf or NaN gradient
    for (int p = 0; p < pieces.total(); p++) {
      finite &= rows[p * rowLength] == 0;
    }
    int tensors = region.tensors().count();
    double gradSq = 0;
    for (int t = 0; t < tensors; t++) {
      if (region.tensors().trained(t)) {
        gradSq += totals[1 + t];
      }
    }
    double scale2 = (double) gradScale * gradScale;
    double gradNorm = Math.sqrt(gradSq * scale2);
    if (!finite || !Double.isFinite(gradNorm)) {
      return new StepReport(false, finite ? gradNorm : Double.NaN, 1);
    }
    double clip = clipNorm > 0 && gradNorm > clipNorm ? clipNorm / gradNorm : 1;
    boolean withWeights = optimizer.needsWeightNorms();
    for (int t = 0; t < tensors; t++) {
      norms.set(t, totals[1 + t] * scale2 * clip * clip, withWeights ? totals[1 + tensors + t] : 0);
    }
    optimizer.beginStep(learningRate, norms);
    sweep(params, grads, gradsOrigin, gradScale, (float) clip);
    if (optimizer.secondSweep()) {
      int length = sweepTotals.length;
      exchange.gather(sweepRows, length);
      addRows(sweepRows, length, sweepTotals);
      optimizer.beginSecondSweep(sweepTotals);
      sweep(params, null, 0, 1f, 1f);
    }
    return new StepReport(true, gradNorm, clip);
  }

  /** Adds the pieces' rows of {@code length} floats into {@code sums}, in piece order. */
  private void addRows(float[] table, int length, double[] sums) {
    Arrays.fill(sums, 0);
    for (int p = 0; p < pieces.total(); p++) {
      for (int i = 0; i < length; i++) {
        sums[i] += table[p * length + i];
      }
    }
  }

  /**
   * Fills the rows of the region's pieces: [0] 1 if any gradient of the piece is inf or NaN, then
   * each tensor's Σg² over the piece (unscaled), then, if the rule wants them, each tensor's Σw².
   * Each sum is a {@link SquareSums} total over the piece's elements, whatever the chunks.
   */
  private void sumSquares(ParamChunks params, FloatBlock grads, int gradsOrigin) {
    int tensors = region.tensors().count();
    boolean withWeights = optimizer.needsWeightNorms();
    if (withWeights) {
      params.beginPass();
    }
    int firstRun = 0;
    for (int p = pieces.first(); p < pieces.first() + pieces.count(); p++) {
      partial.clear(); // slot 0: the running statistics' squares, only checked for being finite
      int pieceFrom = pieces.from(p);
      int pieceTo = pieces.to(p);
      while (firstRun < region.runCount() && region.runEnd(firstRun) <= pieceFrom) {
        firstRun++;
      }
      for (int r = firstRun; r < region.runCount() && region.runStart(r) < pieceTo; r++) {
        int t = region.runTensor(r);
        boolean trained = region.runTrained(r);
        int runFrom = Math.max(pieceFrom, region.runStart(r));
        int runTo = Math.min(pieceTo, region.runEnd(r));
        for (int from = runFrom; from < runTo; from += CHUNK_FLOATS) {
          int count = Math.min(CHUNK_FLOATS, runTo - from);
          grads.copyTo(from - gradsOrigin, gradChunk, 0, count);
          if (withWeights) { // consecutive chunks: an offloaded store streams them in order
            params.load(from, paramChunk, count);
          }
          if (!trained) {
            partial.add(0, gradChunk, count, from);
          } else {
            partial.add(1 + t, gradChunk, count, from);
            if (withWeights) {
              partial.add(1 + tensors + t, paramChunk, count, from);
            }
          }
        }
      }
      boolean finite = Double.isFinite(partial.total(0));
      for (int t = 0; t < tensors; t++) {
        finite &= Double.isFinite(partial.total(1 + t));
      }
      int row = p * rowLength;
      rows[row] = finite ? 0 : 1;
      for (int i = 1; i < rowLength; i++) {
        rows[row + i] = (float) partial.total(i);
      }
    }
    if (withWeights) {
      params.endPass();
    }
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
    boolean takeSweepSums = first && optimizer.secondSweep();
    params.beginPass();
    state.beginPass();
    int run = 0;
    int piece = endPieces(pieces.first(), region.from(), takeSweepSums);
    for (int chunkFrom = region.from(); chunkFrom < region.to(); ) {
      // Chunks keep their places relative to the region (an offloaded state streams whole blocks
      // of them) and end where a piece does.
      int aligned = chunkFrom + CHUNK_FLOATS - (chunkFrom - region.from()) % CHUNK_FLOATS;
      int chunkTo = Math.min(Math.min(aligned, region.to()), pieces.to(piece));
      int count = chunkTo - chunkFrom;
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
      chunkFrom = chunkTo;
      piece = endPieces(piece, chunkFrom, takeSweepSums);
    }
    state.endPass();
    params.endPass();
  }

  /**
   * Moves past the pieces that end at or before {@code element}, taking each one's sweep sums
   * into its row when {@code takeSweepSums}; returns the first piece still open.
   */
  private int endPieces(int piece, int element, boolean takeSweepSums) {
    int end = pieces.first() + pieces.count();
    while (piece < end && pieces.to(piece) <= element) {
      if (takeSweepSums) {
        float[] sums = optimizer.sweepSums();
        if (sweepTotals.length != sums.length) {
          sweepRows = new float[pieces.total() * sums.length];
          sweepTotals = new double[sums.length];
        }
        System.arraycopy(sums, 0, sweepRows, piece * sums.length, sums.length);
      }
      piece++;
    }
    return Math.min(piece, end - 1);
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
