package io.sparkzero.sharding.collective;

/**
 * How ranks meet before they talk over Aeron: each rank publishes a short string (its endpoints)
 * and receives every rank's string, indexed by rank. On Spark this is
 * {@code BarrierTaskContext.allGather}; in tests it is threads or processes sharing a folder.
 */
public interface Rendezvous {

  /** This rank, in {@code [0, worldSize)}. */
  int rank();

  /** Number of ranks taking part. */
  int worldSize();

  /**
   * Blocks until every rank has called this method, then returns all ranks' messages,
   * element {@code i} being rank {@code i}'s message.
   */
  String[] allGather(String message);
}
