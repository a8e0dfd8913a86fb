package io.sparkzero.worker.optim;

/**
 * One step's squared norms per tensor, over whole tensors (summed across the ranks whose shards
 * hold a part of them): the gradients as the optimizer receives them (averaged, unscaled,
 * clipped) and, when the rule asks for them, the weights before the update.
 */
public final class TensorNorms {
  private final TensorTable table;
  private final double[] gradSq;
  private final double[] weightSq;

  TensorNorms(TensorTable table) {
    this.table = table;
    this.gradSq = new double[table.count()];
    this.weightSq = new double[table.count()];
  }

  public TensorTable table() {
    return table;
  }

  /** ‖g‖² of {@code tensor}. */
  public double gradSq(int tensor) {
    return gradSq[tensor];
  }

  /** ‖w‖² of {@code tensor}; 0 unless the rule asked for weight norms. */
  public double weightSq(int tensor) {
    return weightSq[tensor];
  }

  void set(int tensor, double gradSquared, double weightSquared) {
    gradSq[tensor] = gradSquared;
    weightSq[tensor] = weightSquared;
  }

  /** Norms of nothing (a rule stepped directly, outside a {@link ShardStepper}). */
  static TensorNorms none(TensorTable table) {
    return new TensorNorms(table);
  }
}
