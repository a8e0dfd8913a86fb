package io.sparkzero.worker.optim;

import java.util.Arrays;

/**
 * LAMB (You et al., "Large Batch Optimization for Deep Learning: Training BERT in 76 minutes",
 * 2019), per tensor:
 *
 * <pre>
 * m ← β₁m + (1−β₁)g ;  v ← β₂v + (1−β₂)g² ;  m̂ = m/(1−β₁ᵗ) ;  v̂ = v/(1−β₂ᵗ)
 * u = m̂/(√v̂ + ε) + λw          (λw dropped for excluded tensors)
 * r = ‖w‖/‖u‖                   (1 if either is 0, and for excluded tensors)
 * w ← w − γ·r·u
 * </pre>
 *
 * ‖u‖ is only known once every element of the tensor has its new moments, on every rank that
 * holds a part of it, so a step is two sweeps: {@link #update} advances the moments and sums
 * ‖u‖² and ‖w‖² of this rank's part of each tensor, piece by piece; the caller adds the pieces
 * of every rank; {@link
 * #apply} recomputes u from the stored moments (the same float operations, so the same values)
 * and moves the weights. State slots: m, v.
 */
public final class Lamb extends CountingRule {
  private final float beta1;
  private final float beta2;
  private final float epsilon;
  private final float weightDecay;
  private float learningRate;
  private float invBias1;
  private float invBias2;
  private TensorTable table;
  private double[] partial = new double[0]; // per tensor: ‖u‖², ‖w‖² of this rank's part
  private float[] sums = new float[0];
  private float[] stepFactor = new float[0]; // γ·r per tensor

  public Lamb(float beta1, float beta2, float epsilon, float weightDecay) {
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.weightDecay = weightDecay;
  }

  @Override
  public int stateSlots() {
    return 2;
  }

  @Override
  public void beginStep(float learningRate, TensorNorms norms) {
    long t = ++steps;
    this.learningRate = learningRate;
    invBias1 = (float) (1 / (1 - Math.pow(beta1, t)));
    invBias2 = (float) (1 / (1 - Math.pow(beta2, t)));
    table = norms.table();
    int n = table.count();
    if (partial.length != 2 * n) {
      partial = new double[2 * n];
      sums = new float[2 * n];
      stepFactor = new float[n];
    }
    Arrays.fill(partial, 0);
  }

  @Override
  public void update(float[] params, float[] grads, int index, float[][] state, int stateIndex,
      int length, int tensor) {
    float[] m = state[0];
    float[] v = state[1];
    UpdateLoops.moments(grads, index, m, v, stateIndex, length, beta1, beta2);
    float lambda = table.excluded(tensor) ? 0f : weightDecay;
    double uSq = partial[2 * tensor]; // added on element by element, whatever the chunks
    double wSq = partial[2 * tensor + 1];
    int s = stateIndex;
    for (int j = index, end = index + length; j < end; j++, s++) {
      float w = params[j];
      float u = UpdateLoops.lambDirection(m[s], v[s], w, lambda, invBias1, invBias2, epsilon);
      uSq += (double) u * u;
      wSq += (double) w * w;
    }
    partial[2 * tensor] = uSq;
    partial[2 * tensor + 1] = wSq;
  }

  @Override
  public boolean secondSweep() {
    return true;
  }

  @Override
  public float[] sweepSums() {
    for (int i = 0; i < partial.length; i++) {
      sums[i] = (float) partial[i];
    }
    Arrays.fill(partial, 0);
    return sums;
  }

  @Override
  public void beginSecondSweep(double[] sums) {
    for (int t = 0; t < stepFactor.length; t++) {
      stepFactor[t] = (float) (learningRate * ratio(table.excluded(t), sums[2 * t + 1],
          sums[2 * t]));
    }
  }

  /** The trust ratio ‖w‖/‖u‖ of one tensor from its squared norms. */
  static double ratio(boolean excluded, double weightSq, double updateSq) {
    if (excluded || weightSq == 0 || updateSq == 0) {
      return 1;
    }
    return Math.sqrt(weightSq) / Math.sqrt(updateSq);
  }

  @Override
  public void apply(float[] params, int index, float[][] state, int stateIndex, int length,
      int tensor) {
    float lambda = table.excluded(tensor) ? 0f : weightDecay;
    UpdateLoops.lambApply(params, index, state[0], state[1], stateIndex, length,
        stepFactor[tensor], lambda, invBias1, invBias2, epsilon);
  }
}
