package io.sparkzero.driver.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkzero.driver.errors.PlanDoesNotFitException;
import io.sparkzero.driver.options.JobConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The memory plan counts the training data each rank's executor holds: held data twice (the
 * rank's arrays and their copy while they are sorted; Spark caches them on disk only), streamed
 * data as the stream's blocks.
 */
class DataMemoryTest {

  @Test
  void aRanksDataIsItsLargestShareOfFloatsLabelsAndIdsHeldTwice() {
    // Fashion-MNIST on 2 ranks: 30,000 rows of 784 floats, a label and an id, twice
    assertThat(MemoryCheck.dataBytesPerRank(60_000, 784, 2))
        .isEqualTo(2L * 30_000 * (784 * 4 + 4 + 8));
    assertThat(MemoryCheck.dataBytesPerRank(5, 10, 2)).as("3 rows on the larger share")
        .isEqualTo(2L * 3 * (10 * 4 + 12));
  }

  @Test
  void dataThatDoesNotFitBesideTheModelStateIsRefusedNamingBoth() {
    MemoryCheck.JobPlan plan = MemoryCheck.plan(JobConfig.of(Map.of("model", "mlp",
        "train.world-size", 2, "zero.rank-memory-bytes", 8_000_000)));
    MemoryCheck.checkData(plan, 1_000, 784, 2); // 3.2 MB of data: fits
    assertThatThrownBy(() -> MemoryCheck.checkData(plan, 10_000, 784, 2))
        .isInstanceOf(PlanDoesNotFitException.class)
        .hasMessageContaining("data.train")
        .hasMessageContaining("the training data needs 30.0 MiB per rank (10000 examples of 784"
            + " features over 2 ranks, held by the rank, with a second copy while it is sorted)")
        .hasMessageContaining("stream the data (data.mode stream)")
        .hasMessageContaining("over the budget of 7.6 MiB (zero.rank-memory-bytes)");
  }

  @Test
  void aStreamsBlocksThatDoNotFitBesideTheModelStateAreRefusedNamingTheReadAhead() {
    MemoryCheck.JobPlan plan = MemoryCheck.plan(JobConfig.of(Map.of("model", "mlp",
        "train.world-size", 2, "zero.rank-memory-bytes", 8_000_000)));
    MemoryCheck.checkStream(plan, 4_000_000);
    assertThatThrownBy(() -> MemoryCheck.checkStream(plan, 8_000_000))
        .isInstanceOf(PlanDoesNotFitException.class)
        .hasMessageContaining("data.read-ahead-bytes")
        .hasMessageContaining("a streaming rank holds up to 7.6 MiB of examples")
        .hasMessageContaining("lower data.read-ahead-bytes or data.shuffle-window");
  }

  /** Held data are Java arrays: a plan whose native memory has room but whose heap has not fails. */
  @Test
  void heldDataMustFitTheHeapNotJustTheWholeBudget() {
    MemoryCheck.JobPlan roomy = MemoryCheck.plan(JobConfig.of(Map.of("model", "mlp",
        "train.world-size", 2, "zero.rank-memory-bytes", 1_000_000_000)));
    MemoryCheck.JobPlan plan = new MemoryCheck.JobPlan(roomy.input(), roomy.stage(),
        roomy.offload(), new ExecutorMemory.Budget(1_000_000_000, 20_000_000, "a test's budget"));
    MemoryCheck.checkData(plan, 5_000, 784, 2); // 15.9 MB on the heap: fits
    assertThatThrownBy(() -> MemoryCheck.checkData(plan, 10_000, 784, 2))
        .isInstanceOf(PlanDoesNotFitException.class)
        .hasMessageContaining("on the Java heap, over a rank's share of the heap, 19.1 MiB")
        .hasMessageContaining("spark.executor.memory");
  }
}
