package io.sparkzero.worker.optim;

import io.sparkzero.worker.model.ParamTensor;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The model's tensors as the optimizer sees them: where each lies in the flat vector, whether it
 * is trained (running statistics are not), and whether it is excluded from trust ratios and weight
 * decay (LARS, LAMB). Every rank builds the same table, so a tensor's index names the same tensor
 * on every rank: per-tensor partial sums are reduced across ranks slot by slot.
 */
public final class TensorTable {
  /**
   * DL4J's names of biases ({@code <layer>_b}) and batch-norm scale and shift ({@code
   * <layer>_gamma}, {@code <layer>_beta}): the tensors the LARS and LAMB papers leave out of the
   * trust ratio and of weight decay.
   */
  public static final String DEFAULT_EXCLUDE = ".*_(b|gamma|beta)";

  private final String[] names;
  private final long[] offsets;
  private final long[] lengths;
  private final boolean[] trained;
  private final boolean[] excluded;

  private TensorTable(String[] names, long[] offsets, long[] lengths, boolean[] trained,
      boolean[] excluded) {
    this.names = names;
    this.offsets = offsets;
    this.lengths = lengths;
    this.trained = trained;
    this.excluded = excluded;
  }

  /**
   * The table of {@code tensors} (ordered by offset, covering the vector); a tensor whose whole
   * name matches {@code exclude} is excluded.
   */
  public static TensorTable of(List<ParamTensor> tensors, Pattern exclude) {
    int n = tensors.size();
    String[] names = new String[n];
    long[] offsets = new long[n];
    long[] lengths = new long[n];
    boolean[] trained = new boolean[n];
    boolean[] excluded = new boolean[n];
    for (int i = 0; i < n; i++) {
      ParamTensor t = tensors.get(i);
      names[i] = t.name();
      offsets[i] = t.offset();
      lengths[i] = t.length();
      trained[i] = t.kind() != ParamTensor.Kind.RUNNING_STAT;
      excluded[i] = trained[i] && exclude.matcher(t.name()).matches();
    }
    return new TensorTable(names, offsets, lengths, trained, excluded);
  }

  /** One trained tensor {@code [0, length)}, not excluded (single-tensor tests and benchmarks). */
  public static TensorTable single(long length) {
    return new TensorTable(new String[] {"all"}, new long[] {0}, new long[] {length},
        new boolean[] {true}, new boolean[] {false});
  }

  public int count() {
    return names.length;
  }

  public String name(int tensor) {
    return names[tensor];
  }

  public long offset(int tensor) {
    return offsets[tensor];
  }

  public long length(int tensor) {
    return lengths[tensor];
  }

  /** Whether the optimizer trains the tensor (false for running statistics). */
  public boolean trained(int tensor) {
    return trained[tensor];
  }

  /** Whether the tensor is left out of trust ratios and weight decay. */
  public boolean excluded(int tensor) {
    return excluded[tensor];
  }
}
