package io.sparkzero.driver.train;

import io.sparkzero.sharding.collective.Rendezvous;
import org.apache.spark.BarrierTaskContext;

/** The ranks of one barrier stage meet through Spark's {@link BarrierTaskContext#allGather}. */
final class SparkRendezvous implements Rendezvous {
  private final BarrierTaskContext context;

  SparkRendezvous(BarrierTaskContext context) {
    this.context = context;
  }

  @Override
  public int rank() {
    return context.partitionId();
  }

  @Override
  public int worldSize() {
    return context.getTaskInfos().length;
  }

  @Override
  public String[] allGather(String message) {
    return context.allGather(message);
  }
}
