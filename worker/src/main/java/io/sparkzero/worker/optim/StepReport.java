package io.sparkzero.worker.optim;

/**
 * What one optimizer step did.
 *
 * @param applied false when an inf or NaN in some rank's gradients made every rank skip the step
 * @param gradNorm global L2 norm of the averaged gradient before clipping (NaN or infinite when
 *     skipped)
 * @param clipFactor what clipping multiplied the gradient by (1 when it did not clip)
 */
public record StepReport(boolean applied, double gradNorm, double clipFactor) {}
