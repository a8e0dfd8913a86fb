package io.sparkzero.worker.optim;

import io.sparkzero.worker.model.ParamTensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The rank's region {@code [from, to)} of the flat vector, cut into runs that are either trained
 * by the optimizer or copied through as running statistics. Computed once per model and region;
 * {@link ShardStepper} walks the runs.
 */
public final class RegionUpdate {
  private final int from;
  private final int to;
  private final int[] runStarts;
  private final int[] runEnds;
  private final boolean[] runTrained;

  private RegionUpdate(int from, int to, List<int[]> runs) {
    this.from = from;
    this.to = to;
    this.runStarts = new int[runs.size()];
    this.runEnds = new int[runs.size()];
    this.runTrained = new boolean[runs.size()];
    for (int i = 0; i < runs.size(); i++) {
      runStarts[i] = runs.get(i)[0];
      runEnds[i] = runs.get(i)[1];
      runTrained[i] = runs.get(i)[2] == 1;
    }
  }

  /** The runs of {@code [from, to)} given the model's tensors (which must cover the vector). */
  public static RegionUpdate of(List<ParamTensor> tensors, int from, int to) {
    List<int[]> runs = new ArrayList<>();
    for (ParamTensor t : tensors) {
      int start = (int) Math.max(from, t.offset());
      int end = (int) Math.min(to, t.offset() + t.length());
      if (start >= end) {
        continue;
      }
      int trained = t.kind() == ParamTensor.Kind.RUNNING_STAT ? 0 : 1;
      int[] last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
      if (last != null && last[1] == start && last[2] == trained) {
        last[1] = end;
      } else {
        runs.add(new int[] {start, end, trained});
      }
    }
    return new RegionUpdate(from, to, runs);
  }

  /** A region in which every element is trained (models without running statistics, tests). */
  public static RegionUpdate allTrained(int from, int to) {
    List<int[]> runs = new ArrayList<>();
    runs.add(new int[] {from, to, 1});
    return new RegionUpdate(from, to, runs);
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

  int runCount() {
    return runStarts.length;
  }

  int runStart(int i) {
    return runStarts[i];
  }

  int runEnd(int i) {
    return runEnds[i];
  }

  boolean runTrained(int i) {
    return runTrained[i];
  }
}
