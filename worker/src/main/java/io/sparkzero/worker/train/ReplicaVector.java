package io.sparkzero.worker.train;

import io.sparkzero.sharding.collective.Collectives;
import io.sparkzero.sharding.collective.FloatBlock;
import io.sparkzero.worker.optim.ParamChunks;

/**
 * The full parameter replica a rank holds at stages 0-2, as the step, checkpoints and the state
 * sync see it: fp32 values by flat index, its fingerprint, and a broadcast from one rank. Either
 * DL4J's own fp32 vector ({@link #of}) or a 16-bit replica with an fp32 master ({@link
 * HalfReplica}).
 */
interface ReplicaVector {

  /** DL4J's fp32 parameter vector, worked on in place. */
  static ReplicaVector of(FloatBlock params) {
    return new ReplicaVector() {
      @Override
      public ParamChunks chunks() {
        return ParamChunks.of(params, 0);
      }

      @Override
      public void read(int from, float[] dst, int offset, int count) {
        params.copyTo(from, dst, offset, count);
      }

      @Override
      public void write(int from, float[] src, int offset, int count) {
        params.copyFrom(src, offset, from, count);
      }

      @Override
      public long hash() {
        return ParamHash.of(params, 0, params.length());
      }

      @Override
      public void broadcast(Collectives collectives, int root) {
        collectives.broadcast(params, 0, params.length(), root);
      }
    };
  }

  /** The fp32 parameters the optimizer updates. */
  ParamChunks chunks();

  /** Copies parameters {@code [from, from + count)} (flat indices) into {@code dst}. */
  void read(int from, float[] dst, int offset, int count);

  /** Overwrites parameters {@code [from, from + count)} (flat indices) from {@code src}. */
  void write(int from, float[] src, int offset, int count);

  /** Fingerprint of the replica; equal on every rank after a step. */
  long hash();

  /** Makes every rank's replica equal to {@code root}'s. */
  void broadcast(Collectives collectives, int root);
}
