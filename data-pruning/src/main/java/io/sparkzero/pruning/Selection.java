package io.sparkzero.pruning;

import java.util.Arrays;

/** The outcome of a selection: the kept example ids, ascending, and what was kept per class. */
public final class Selection {
  private final long[] keptIds;
  private final SelectionSummary summary;

  Selection(long[] keptIdsAscending, SelectionSummary summary) {
    this.keptIds = keptIdsAscending;
    this.summary = summary;
  }

  /** The kept ids, ascending (a copy). */
  public long[] keptIds() {
    return keptIds.clone();
  }

  /** Whether example {@code id} is kept. */
  public boolean keeps(long id) {
    return Arrays.binarySearch(keptIds, id) >= 0;
  }

  public int size() {
    return keptIds.length;
  }

  public SelectionSummary summary() {
    return summary;
  }
}
