package io.sparkzero.worker.session;

/** The keys the training job writes into each checkpoint manifest's properties. */
public final class CheckpointProperties {
  public static final String MODEL = "model";
  public static final String OPTIMIZER = "optimizer";
  public static final String ZERO_STAGE = "zero_stage";
  public static final String BATCH_SIZE = "batch_size";
  public static final String STEPS_PER_EPOCH = "steps_per_epoch";
  public static final String SEED = "seed";
  public static final String EPOCH = "epoch";
  /** The first step of {@link #EPOCH} not yet trained ({@link #STEPS_PER_EPOCH} at its end). */
  public static final String NEXT_STEP_IN_EPOCH = "next_step_in_epoch";

  private CheckpointProperties() {}
}
