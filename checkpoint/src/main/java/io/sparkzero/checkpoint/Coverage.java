package io.sparkzero.checkpoint;

import java.util.Comparator;
import java.util.List;

/**
 * Checks that a manifest's shards cover the global range {@code [0, numElements)} exactly: no
 * element in no shard, none in two. Empty shards may sit at any boundary.
 */
final class Coverage {
  private Coverage() {}

  /** Throws {@link IllegalArgumentException} naming the first gap or overlap and its ranks. */
  static void check(List<ShardRecord> shards, long numElements) {
    List<ShardRecord> sorted = sortedByFrom(shards);
    long covered = 0;
    String previous = "the start";
    for (ShardRecord shard : sorted) {
      String which = "rank " + shard.rank() + " [" + shard.from() + ", " + shard.to() + ")";
      if (shard.from() > covered) {
        throw new IllegalArgumentException("manifest gap: elements [" + covered + ", "
            + shard.from() + ") are in no shard (" + previous + " ends at " + covered + ", "
            + which + " starts at " + shard.from() + ")");
      }
      if (shard.from() < covered) {
        throw new IllegalArgumentException("manifest overlap: elements [" + shard.from() + ", "
            + Math.min(covered, shard.to()) + ") are in two shards (" + previous + " ends at "
            + covered + ", " + which + " starts at " + shard.from() + ")");
      }
      covered = shard.to();
      previous = which;
    }
    if (covered != numElements) {
      throw new IllegalArgumentException(covered < numElements
          ? "manifest gap: elements [" + covered + ", " + numElements + ") are in no shard ("
              + previous + " is the last, numElements is " + numElements + ")"
          : "manifest overlap: " + previous + " runs past numElements " + numElements);
    }
  }

  /** The shards in global order; empty shards before the non-empty one starting where they sit. */
  static List<ShardRecord> sortedByFrom(List<ShardRecord> shards) {
    return shards.stream()
        .sorted(Comparator.comparingLong(ShardRecord::from).thenComparingLong(ShardRecord::to))
        .toList();
  }
}
