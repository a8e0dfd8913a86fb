package io.sparkzero.worker.model;

/**
 * One named tensor inside a model's flat parameter vector. Optimizers and (later) per-tensor
 * norms for LARS/LAMB use these boundaries.
 *
 * @param name layer and parameter key, e.g. {@code "0_W"} or {@code "bn1_mean"}
 * @param offset first element in the flat vector
 * @param length number of elements
 * @param kind what the tensor is, which decides how an optimizer treats it
 */
public record ParamTensor(String name, long offset, long length, Kind kind) {

  /** What a tensor holds. */
  public enum Kind {
    /** A trained weight (kernel, dense matrix). */
    WEIGHT,
    /** A trained bias. */
    BIAS,
    /** A trained batch-norm scale or shift (gamma, beta). */
    NORM,
    /**
     * A running statistic (batch-norm mean or variance). DL4J reports the change to apply in the
     * gradient slot; optimizers subtract it as-is, without learning rate or state.
     */
    RUNNING_STAT
  }
}
