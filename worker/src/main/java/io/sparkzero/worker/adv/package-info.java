/**
 * Adversarial steps: ConAdv and its sequential baseline DisAdv (ALGORITHMS.md section 3).
 *
 * <p>{@link io.sparkzero.worker.adv.PgdAttack} perturbs a batch (PGD-k, L∞, clipped to the input
 * range, random start, targeted or not) as a pure function of (parameters, batch, seed). {@link
 * io.sparkzero.worker.adv.Adversary} plugs into the epoch loop as a {@link
 * io.sparkzero.worker.train.StepAugmenter}: it decides which weights attack which step's batch
 * (those of step max(t − τ, the epoch's first step)), runs the attacks on its own thread against
 * its own fp32 copy of the model, and appends each micro-batch's adversarial rows to it. The ZeRO
 * stage's step sees an ordinary, larger micro-batch, so stages, precision and gradient
 * accumulation need nothing of their own; stage 3, whose ranks hold only a shard of the
 * parameters, is not supported yet.
 */
package io.sparkzero.worker.adv;
