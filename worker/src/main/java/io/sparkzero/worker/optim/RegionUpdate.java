package io.sparkzero.worker.optim;

import io.sparkzero.worker.model.ParamTensor;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The rank's region {@code [from, to)} of the flat vector, cut into runs, one per tensor part in
 * the region: trained by the optimizer, or copied through as running statistics. Computed once per
 * model and region; {@link ShardStepper} walks the runs.
 */
public final class RegionUpdate {
  private final int from;
  private final int to;
  private final TensorTable tensors;
  private final int[] runStarts;
  private final int[] runEnds;
  private final int[] runTensors;

  private RegionUpdate(int from, int to, TensorTable tensors, List<int[]> runs) {
    this.from = from;
    this.to = to;
    this.tensors = tensors;
    this.runStarts = new int[runs.size()];
    this.runEnds = new int[runs.size()];
    this.runTensors = new int[runs.size()];
    for (int i = 0; i < runs.size(); i++) {
      runStarts[i] = runs.get(i)[0];
      runEnds[i] = runs.get(i)[1];
      runTensors[i] = runs.get(i)[2];
    }
  }

  /** The runs of {@code [from, to)} given the model's tensors (which must cover the vector). */
  public static RegionUpdate of(TensorTable tensors, int from, int to) {
    List<int[]> runs = new ArrayList<>();
    for (int t = 0; t < tensors.count(); t++) {
      int start = (int) Math.max(from, tensors.offset(t));
      int end = (int) Math.min(to, tensors.offset(t) + tensors.length(t));
      if (start < end) {
        runs.add(new int[] {start, end, t});
      }
    }
    return new RegionUpdate(from, to, tensors, runs);
  }

  /** {@link #of(TensorTable, int, int)} with the default exclusions. */
  public static RegionUpdate of(List<ParamTensor> tensors, int from, int to) {
    return of(TensorTable.of(tensors, Pattern.compile(TensorTable.DEFAULT_EXCLUDE)), from, to);
  }

  /** A region of one trained tensor (models without running statistics, tests). */
  public static RegionUpdate allTrained(int from, int to) {
    return of(TensorTable.single(to), from, to);
  }

  public int from() {
    return from;
  }

  public int to() {
    return to;
  }

  public int length() {
    return to - from;
  }

  /** The model's tensors; run tensors index into it. */
  public TensorTable tensors() {
    return tensors;
  }

  int runCount() {
    return runStarts.length;
  }

  int runStart(int i) {
    return runStarts[i];
  }

  int runEnd(int i) {
    return runEnds[i];
  }

  int runTensor(int i) {
    return runTensors[i];
  }

  boolean runTrained(int i) {
    return tensors.trained(runTensors[i]);
  }
}
