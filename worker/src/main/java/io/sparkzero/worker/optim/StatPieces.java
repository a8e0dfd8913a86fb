package io.sparkzero.worker.optim;

import java.util.Arrays;

/**
 * The pieces a step's per-tensor statistics (Σg², Σw², LAMB's Σu²) are summed in: the partition
 * plan's shards. Each piece is summed on its own, in element order, and the pieces' sums are added
 * in piece order. A rank sums the pieces its region covers (all of them at ZeRO stage 0, its own
 * shard at stages 1-3) and takes the others' from its peers ({@link PieceExchange}), so every
 * stage adds the same numbers in the same order and gets the same norms, bit for bit.
 *
 * @param bounds the plan's shard bounds: piece {@code p} is {@code [bounds[p], bounds[p + 1])}
 * @param first the first piece of the rank's region
 * @param count how many consecutive pieces the region covers
 */
public record StatPieces(int[] bounds, int first, int count) {

  public StatPieces {
    if (bounds.length < 2 || first < 0 || count < 1 || first + count > bounds.length - 1) {
      throw new IllegalArgumentException("pieces " + first + ".." + (first + count - 1)
          + " of the " + (bounds.length - 1) + " in " + Arrays.toString(bounds));
    }
    bounds = bounds.clone();
  }

  /** The region {@code [from, to)} as one piece: a rank alone, or a region summed by itself. */
  public static StatPieces single(int from, int to) {
    return new StatPieces(new int[] {from, to}, 0, 1);
  }

  /** Every piece of {@code bounds} (ZeRO stage 0: the rank's region is the whole vector). */
  public static StatPieces all(int[] bounds) {
    return new StatPieces(bounds, 0, bounds.length - 1);
  }

  /** Piece {@code rank} alone (ZeRO stages 1-3: the rank's region is its shard). */
  public static StatPieces own(int[] bounds, int rank) {
    return new StatPieces(bounds, rank, 1);
  }

  /** Pieces in all: one row of statistics each. */
  public int total() {
    return bounds.length - 1;
  }

  /** First element of piece {@code p}. */
  public int from(int p) {
    return bounds[p];
  }

  /** End (exclusive) of piece {@code p}. */
  public int to(int p) {
    return bounds[p + 1];
  }

  /** First element of the region. */
  public int regionFrom() {
    return bounds[first];
  }

  /** End (exclusive) of the region. */
  public int regionTo() {
    return bounds[first + count];
  }
}
