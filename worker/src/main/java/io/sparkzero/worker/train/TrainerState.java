package io.sparkzero.worker.train;

import io.sparkzero.sharding.plan.Range;
import io.sparkzero.worker.optim.OptimizerState;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A rank's training state as a checkpoint holds it: the parameters ({@link #PARAMS}) and every
 * optimizer state slot ({@link #slot}) as arrays over the flat parameter index, plus small
 * metadata (the optimizer's step count, the loss scale and its skip counts). Whatever the ZeRO stage or offload tier, a rank saves
 * the range of its own shard of each array, so the ranks' shards tile every array once; a rank
 * restores every element it holds (all parameters at stages 0-2, all optimizer state at stage 0)
 * from any source that covers the arrays, which is what makes a checkpoint written by N ranks
 * load into M.
 */
public final class TrainerState {
  /** The parameters' array. */
  public static final String PARAMS = "params";

  private static final int COPY_FLOATS = 1 << 20;
  private static final int META_MAGIC = 0x535a5453; // "SZTS"
  private static final int META_VERSION = 2; // 2 added the loss scale and skip counts
  private static final int META_BYTES = 40;

  private TrainerState() {}

  /** The name of optimizer state slot {@code k}. */
  public static String slot(int k) {
    return "opt." + k;
  }

  /** The arrays a trainer with {@code slots} optimizer slots saves, in the order it writes them. */
  public static List<String> arrays(int slots) {
    List<String> names = new ArrayList<>(slots + 1);
    names.add(PARAMS);
    for (int k = 0; k < slots; k++) {
      names.add(slot(k));
    }
    return List.copyOf(names);
  }

  /** Writes this rank's shard of every array to {@code sink}, in {@link #arrays} order. */
  public static void save(ZeroTrainer trainer, StateSink sink) {
    Range shard = trainer.shard();
    float[] chunk = new float[chunkLength(shard.length())];
    for (int at = shard.from(); at < shard.to(); at += chunk.length) {
      int n = Math.min(chunk.length, shard.to() - at);
      trainer.readParams(at, chunk, 0, n);
      sink.write(PARAMS, chunk, 0, n);
    }
    OptimizerState state = trainer.optimizerState();
    int origin = trainer.region().from();
    for (int k = 0; k < state.slots(); k++) {
      for (int at = shard.from(); at < shard.to(); at += chunk.length) {
        int n = Math.min(chunk.length, shard.to() - at);
        state.read(k, at - origin, chunk, 0, n);
        sink.write(slot(k), chunk, 0, n);
      }
    }
  }

  /**
   * Overwrites every parameter and optimizer state element this rank holds from {@code source},
   * and the optimizer's step count from {@code meta} ({@link #meta} of any saving rank).
   */
  public static void restore(ZeroTrainer trainer, StateSource source, byte[] meta) {
    restore(trainer, source, meta, false);
  }

  /**
   * As {@link #restore(ZeroTrainer, StateSource, byte[])}; with {@code paramsOnly} (a checkpoint of
   * another optimizer) the parameters alone: the optimizer state is left as it is (fresh) and its
   * step count at 0. The loss scale is restored either way.
   */
  public static void restore(ZeroTrainer trainer, StateSource source, byte[] meta, boolean paramsOnly) {
    Range held = trainer.heldParams();
    float[] chunk = new float[chunkLength(Math.max(held.length(), trainer.region().length()))];
    for (int at = held.from(); at < held.to(); at += chunk.length) {
      int n = Math.min(chunk.length, held.to() - at);
      source.read(PARAMS, at, chunk, 0, n);
      trainer.writeParams(at, chunk, 0, n);
    }
    Meta m = Meta.parse(meta);
    trainer.lossScale().restore(m.lossScale(), m.cleanSteps(), m.skippedInRow(), m.skippedTotal());
    if (paramsOnly) {
      trainer.optimizer().setStepCount(0);
      return;
    }
    OptimizerState state = trainer.optimizerState();
    Range region = trainer.region();
    for (int k = 0; k < state.slots(); k++) {
      for (int at = region.from(); at < region.to(); at += chunk.length) {
        int n = Math.min(chunk.length, region.to() - at);
        source.read(slot(k), at, chunk, 0, n);
        state.write(k, at - region.from(), chunk, 0, n);
      }
    }
    trainer.optimizer().setStepCount(m.optimizerSteps());
  }

  /** The rank's small state: what {@link #restore} needs besides the arrays. */
  public static byte[] meta(ZeroTrainer trainer) {
    LossScale scale = trainer.lossScale();
    return ByteBuffer.allocate(META_BYTES).putInt(META_MAGIC).putInt(META_VERSION)
        .putLong(trainer.optimizer().stepCount()).putFloat(scale.scale())
        .putLong(scale.cleanSteps()).putInt(scale.skippedInRow()).putLong(scale.skippedTotal())
        .array();
  }

  /** The optimizer step count in {@code meta}. */
  static long optimizerSteps(byte[] meta) {
    return Meta.parse(meta).optimizerSteps();
  }

  /** The fields of a rank's metadata; version 1 (before loss scaling) reads as scale 1, no skips. */
  record Meta(long optimizerSteps, float lossScale, long cleanSteps, int skippedInRow,
      long skippedTotal) {
    static Meta parse(byte[] meta) {
      ByteBuffer in = ByteBuffer.wrap(meta);
      if (meta.length < 16 || in.getInt() != META_MAGIC) {
        throw new IllegalArgumentException("rank state metadata of " + meta.length
            + " bytes does not start with spark-zero's trainer-state magic");
      }
      int version = in.getInt();
      if (version == 1) {
        return new Meta(in.getLong(), 1f, 0, 0, 0);
      }
      if (version != META_VERSION || meta.length < META_BYTES) {
        throw new IllegalArgumentException("rank state metadata version " + version + " of "
            + meta.length + " bytes is not supported (this build reads versions 1 and "
            + META_VERSION + ", " + META_BYTES + " bytes)");
      }
      return new Meta(in.getLong(), in.getFloat(), in.getLong(), in.getInt(), in.getLong());
    }
  }

  private static int chunkLength(int elements) {
    return Math.max(1, Math.min(COPY_FLOATS, elements));
  }
}
