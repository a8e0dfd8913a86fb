package io.sparkzero.worker.train;

import io.sparkzero.sharding.collective.Collectives;

/**
 * A step's {@link CommAgent}: one per collectives instance, because the driver opens new
 * collectives every epoch. The agent starts with the first step on new collectives and stops at
 * the end of the epoch.
 */
final class CommAgentSlot implements AutoCloseable {
  private CommAgent agent;

  /** The agent of {@code collectives}, replacing (and stopping) one of earlier collectives. */
  CommAgent agentFor(Collectives collectives) {
    if (agent == null || agent.collectives() != collectives) {
      close();
      agent = new CommAgent(collectives);
    }
    return agent;
  }

  /** Stops the agent, if one runs; the collectives stay open. */
  @Override
  public void close() {
    if (agent != null) {
      agent.close();
      agent = null;
    }
  }
}
