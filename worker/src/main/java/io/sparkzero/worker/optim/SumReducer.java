package io.sparkzero.worker.optim;

/**
 * Sums a small vector in place across the ranks whose regions together cover the model (the
 * per-tensor partial norms of one step). At ZeRO stage 0 every rank's region is the whole vector,
 * so its sums are already complete: {@link #LOCAL}.
 */
@FunctionalInterface
public interface SumReducer {
  SumReducer LOCAL = values -> {};

  /** Replaces {@code values} with their element-wise sum over the ranks; same on every rank. */
  void sum(float[] values);
}
