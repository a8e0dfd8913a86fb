package io.sparkzero.driver.progress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkzero.worker.train.StepMetrics;
import io.sparkzero.worker.train.StepTimes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The parts of live progress that need no Spark: the step buffer, ETA, the lines shown. */
class ProgressPartsTest {

  /** Step {@code global} of 100-step epochs, ending at {@code timeMs}, 10 ms per step. */
  static StepMetrics step(long global, long timeMs) {
    return new StepMetrics((int) (global / 100), (int) (global % 100), 100, global, 0.5, 1e-3,
        2.0, 256, 10_000_000, new StepTimes(6_000_000, 0, 3_000_000, 1_000_000, 0), false, 1f,
        1 << 20, timeMs);
  }

  @Test
  void liveStepsKeepTheNewestStepsInOrderUpToTheirCapacity() {
    LiveSteps steps = new LiveSteps();
    assertThat(steps.isZero()).isTrue();
    for (long g = 0; g < LiveSteps.CAPACITY + 10; g++) {
      steps.add(step(g, g));
    }
    List<StepMetrics> kept = steps.value().steps();
    assertThat(kept).hasSize(LiveSteps.CAPACITY);
    assertThat(kept.stream().mapToLong(StepMetrics::globalStep).toArray())
        .containsExactly(LongStream.range(10, LiveSteps.CAPACITY + 10).toArray());
  }

  @Test
  void mergingKeepsTheNewerStepsAndIgnoresAnIdleRank() {
    LiveSteps driver = new LiveSteps();
    LiveSteps rank0 = new LiveSteps();
    rank0.add(step(5, 5));
    rank0.add(step(6, 6));
    driver.merge(new LiveSteps()); // another rank's task adds nothing
    driver.merge(rank0);
    assertThat(driver.value().last().globalStep()).isEqualTo(6);
    LiveSteps older = new LiveSteps();
    older.add(step(2, 2));
    driver.merge(older);
    assertThat(driver.value().last().globalStep()).isEqualTo(6);
    assertThat(driver.value().toString()).isEqualTo("epoch 1 step 7/100, loss 0.5000");
  }

  @Test
  void theStreamPassesEachStepOnceInOrderAndOnlyTheCurrentAttempts() {
    StepStream stream = new StepStream();
    stream.begin(7, 100);
    assertThat(stream.accept(7, window(100, 101, 102))).extracting(StepMetrics::globalStep)
        .containsExactly(100L, 101L, 102L);
    // the next heartbeat repeats what the last one carried
    assertThat(stream.accept(7, window(101, 102, 103))).extracting(StepMetrics::globalStep)
        .containsExactly(103L);
    assertThat(stream.first().globalStep()).isEqualTo(100);
    // a relaunch from the checkpoint at step 102 trains 102 and 103 again, under a new accumulator
    stream.begin(8, 102);
    assertThat(stream.accept(7, window(104))).isEmpty(); // the failed attempt's late heartbeat
    assertThat(stream.accept(8, window(102, 103))).extracting(StepMetrics::globalStep)
        .containsExactly(102L, 103L);
    assertThat(stream.first().globalStep()).isEqualTo(102);
  }

  private static RecentSteps window(long... globalSteps) {
    return new RecentSteps(java.util.Arrays.stream(globalSteps).mapToObj(g -> step(g, g)).toList());
  }

  @Test
  void etaUsesTheStepRateSeenAndTheWallTimeOfFinishedEpochs() {
    StepMetrics first = step(100, 1_000);
    StepMetrics last = step(150, 1_500); // 10 ms a step; 49 steps left in epoch 2
    assertThat(Eta.of(first, last, 0, -1)).isEqualTo(new Eta(490, 490));
    assertThat(Eta.of(first, last, 2, -1)).isEqualTo(new Eta(490, 490 + 2 * 1000));
    assertThat(Eta.of(first, last, 2, 5_000)).isEqualTo(new Eta(490, 490 + 2 * 5_000));
    // one step seen: its own duration (10 ms) stands for the rate
    assertThat(Eta.of(last, last, 0, -1).epochMs()).isEqualTo(490);
  }

  @Test
  void theProgressLineShowsStepLossRateLearningRateAndBothEtas() {
    String line = ProgressConsole.describe(step(150, 1_500), 3, new Eta(490, 3_725_000));
    assertThat(line).isEqualTo("epoch 2/3 step 51/100 (51%): loss 0.5000, 25,600 samples/s,"
        + " lr 0.00100; ETA epoch 0:00, job 1:02:05");
    assertThat(ProgressConsole.clock(-1)).isEqualTo("?");
    assertThat(ProgressConsole.clock(61_000)).isEqualTo("1:01");
  }

  @Test
  void plainProgressPrintsAtMostOneLinePerInterval() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ProgressConsole console = ProgressConsole.lines(new PrintStream(bytes, true), 1_000);
    for (long t = 1_000; t <= 3_500; t += 250) {
      console.step(step(10 + (t - 1_000) / 250, t), 1, Eta.UNKNOWN);
    }
    assertThat(bytes.toString(StandardCharsets.UTF_8).lines())
        .hasSize(3).allMatch(l -> l.startsWith("spark-zero: epoch 1/1 step "));
  }

  @Test
  void aMessageErasesTheLiveLineAndTheNextUpdateRedrawsIt() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    StatusLine status = new StatusLine(new PrintStream(bytes, true));
    status.show("step 1/10");
    status.out().println("spark-zero: a message");
    status.out().println("spark-zero: another");
    status.show("step 2/10");
    status.clear();
    assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("\r\u001b[Kstep 1/10"
        + "\r\u001b[Kspark-zero: a message\nspark-zero: another\n"
        + "\r\u001b[Kstep 2/10\r\u001b[K");
  }

  @Test
  void stepLinesCountFromOneAndLeaveOutWhatWasNotMeasured() {
    StepMetrics skipped = new StepMetrics(0, 0, 10, 0, Double.NaN, 1e-3, Double.POSITIVE_INFINITY,
        64, 0, StepTimes.ZERO, true, 512f, 1, 42);
    ObjectNode line = MetricsLines.step(skipped);
    assertThat(line.get("kind").asText()).isEqualTo("step");
    assertThat(line.get("epoch").asInt()).isEqualTo(1);
    assertThat(line.get("step").asInt()).isEqualTo(1);
    assertThat(line.get("global_step").asLong()).isEqualTo(1);
    assertThat(line.get("skipped").asBoolean()).isTrue();
    assertThat(line.get("loss_scale").asDouble()).isEqualTo(512);
    assertThat(line.has("loss")).isFalse();
    assertThat(line.has("grad_norm")).isFalse();
    assertThat(line.has("samples_per_s")).isFalse();
    assertThat(line.get("time_ms").asLong()).isEqualTo(42);
  }
}
