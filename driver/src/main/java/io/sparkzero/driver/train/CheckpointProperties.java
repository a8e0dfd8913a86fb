package io.sparkzero.driver.train;

/** The keys the training job writes into each checkpoint manifest's properties. */
final class CheckpointProperties {
  static final String MODEL = "model";
  static final String OPTIMIZER = "optimizer";
  static final String ZERO_STAGE = "zero_stage";
  static final String BATCH_SIZE = "batch_size";
  static final String STEPS_PER_EPOCH = "steps_per_epoch";
  static final String SEED = "seed";
  static final String EPOCH = "epoch";
  /** The first step of {@link #EPOCH} not yet trained ({@link #STEPS_PER_EPOCH} at its end). */
  static final String NEXT_STEP_IN_EPOCH = "next_step_in_epoch";

  private CheckpointProperties() {}
}
