package io.sparkzero.driver.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-rank budget the planner checks a job against, by master. */
class ExecutorMemoryTest {
  private static final long MIB = 1L << 20;

  @Test
  void aLocalClustersExecutorsGetSparkExecutorMemoryNotTheWorkersMemory() {
    ExecutorMemory.Budget set = ExecutorMemory.perRank("local-cluster[2,1,2048]",
        Map.of("spark.executor.memory", "512m"), 2);
    assertThat(set.bytes()).isEqualTo(2 * 512 * MIB); // the heap, and JavaCPP's limit of as much
    assertThat(set.heapBytes()).isEqualTo(512 * MIB);
    assertThat(set.source()).contains("512 MiB");
    ExecutorMemory.Budget unset = ExecutorMemory.perRank("local-cluster[2,1,2048]", Map.of(), 2);
    assertThat(unset.bytes()).isEqualTo(2 * 1024 * MIB);
  }

  @Test
  void aStandaloneExecutorsMemoryIsSharedByTheRanksItsCoresRun() {
    ExecutorMemory.Budget budget = ExecutorMemory.perRank("spark://host:7077",
        Map.of("spark.executor.memory", "4g", "spark.executor.cores", "2"), 4);
    assertThat(budget.bytes()).isEqualTo(2 * 4096 * MIB / 2);
    assertThat(budget.heapBytes()).isEqualTo(4096 * MIB / 2);
  }
}
