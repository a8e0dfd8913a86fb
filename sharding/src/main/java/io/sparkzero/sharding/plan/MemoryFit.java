package io.sparkzero.sharding.plan;

/**
 * Whether a stage fits a per-rank memory budget.
 *
 * @param fits whether the stage's peak bytes are within the budget
 * @param component the first of "parameters", "gradients", "optimizer state", "buffers" whose
 *     running total exceeds the budget; empty when it fits
 * @param message what is needed against the budget and, when it does not fit, what would
 */
public record MemoryFit(boolean fits, String component, String message) {}
