package io.sparkzero.worker.optim;

import io.sparkzero.sharding.collective.FloatBlock;

/**
 * Where the {@link ShardStepper} reads a region's parameters from and writes them back to, a
 * chunk at a time, in one pass of increasing element order: a native vector (stages 0-2, and the
 * stage-3 shard in memory), or an offloaded store streamed like the optimizer state (the stage-3
 * shard with {@code offload.params}).
 */
public interface ParamChunks {

  /** Starts a pass. */
  void beginPass();

  /** Copies flat elements {@code [element, element + count)} into {@code chunk[0, count)}. */
  void load(int element, float[] chunk, int count);

  /** Writes {@code chunk[0, count)} back as the elements of the last {@link #load}. */
  void store(int element, float[] chunk, int count);

  /** Ends the pass: when it returns, every stored chunk is where the parameters live. */
  void endPass();

  /** Parameters in {@code block}, flat element {@code origin + i} at index {@code i}. */
  static ParamChunks of(FloatBlock block, int origin) {
    return new ParamChunks() {
      @Override
      public void beginPass() {}

      @Override
      public void load(int element, float[] chunk, int count) {
        block.copyTo(element - origin, chunk, 0, count);
      }

      @Override
      public void store(int element, float[] chunk, int count) {
        block.copyFrom(chunk, 0, element - origin, count);
      }

      @Override
      public void endPass() {}
    };
  }

  /**
   * Parameters as slot 0 of {@code store}, flat element {@code origin + i} at element {@code i};
   * the chunks come and go through the store's windows.
   */
  static ParamChunks of(OptimizerState store, int origin) {
    return new ParamChunks() {
      private OptimizerState.Window window;

      @Override
      public void beginPass() {
        store.beginPass();
      }

      @Override
      public void load(int element, float[] chunk, int count) {
        window = store.window(element - origin, count);
        System.arraycopy(window.arrays()[0], window.index(), chunk, 0, count);
      }

      @Override
      public void store(int element, float[] chunk, int count) {
        System.arraycopy(chunk, 0, window.arrays()[0], window.index(), count);
      }

      @Override
      public void endPass() {
        store.endPass();
      }
    };
  }
}
