package io.sparkzero.worker.optim;

import io.sparkzero.sharding.collective.Collectives;

/**
 * Completes a table of per-piece statistics ({@link StatPieces}) across the ranks: one row of
 * {@code rowLength} floats per piece, piece {@code p} at {@code p * rowLength}. Each rank has
 * filled the rows of the pieces its region covers; afterwards every rank holds every row, exactly
 * as its owner computed it.
 */
@FunctionalInterface
public interface PieceExchange {
  /** The rank's region covers every piece (ZeRO stage 0, or a rank alone): nothing to fetch. */
  PieceExchange LOCAL = (rows, rowLength) -> {};

  /** Fills in the rows of the pieces other ranks cover. */
  void gather(float[] rows, int rowLength);

  /** Rank {@code r} covers piece {@code r}: an all-gather of one row per rank. */
  static PieceExchange allGather(Collectives collectives) {
    return (rows, rowLength) -> collectives.allGather(rows,
        Collectives.evenBounds(0, rowLength * collectives.worldSize(), collectives.worldSize()));
  }
}
