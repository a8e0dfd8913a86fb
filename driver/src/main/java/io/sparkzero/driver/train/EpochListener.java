package io.sparkzero.driver.train;

/**
 * Hears each trained epoch's full parameters on the driver: what a caller that trains for its own
 * purpose (prune's probe runs) needs from the engine. While a listener wants parameters, the ranks
 * send their shards back after every epoch, under every ZeRO stage, and the loop assembles them
 * as it does for evaluation; a run without one is not slowed.
 */
public interface EpochListener {

  /** No listener: the ranks keep their parameters unless evaluation or a model file needs them. */
  EpochListener NONE = new EpochListener() {
    @Override
    public boolean wantsParams() {
      return false;
    }

    @Override
    public void epochEnded(int epoch, float[] params) {}
  };

  /** Whether {@link #epochEnded} needs the parameters (then every epoch returns them). */
  default boolean wantsParams() {
    return true;
  }

  /**
   * Called on the driver after epoch {@code epoch} (from 0) has trained and been evaluated.
   *
   * @param params the full flat parameter vector, in the model's layout
   */
  void epochEnded(int epoch, float[] params);
}
