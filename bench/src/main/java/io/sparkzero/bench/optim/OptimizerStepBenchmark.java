package io.sparkzero.bench.optim;

import io.sparkzero.bench.BenchJson;
import io.sparkzero.sharding.collective.FloatBlock;
import io.sparkzero.worker.optim.Adam;
import io.sparkzero.worker.optim.HeapState;
import io.sparkzero.worker.optim.Lamb;
import io.sparkzero.worker.optim.Lars;
import io.sparkzero.worker.optim.RegionUpdate;
import io.sparkzero.worker.optim.SgdMomentum;
import io.sparkzero.worker.optim.ShardOptimizer;
import io.sparkzero.worker.optim.ShardStepper;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;

/**
 * The optimizer step alone: {@code --ranks} threads, each stepping its own shard of {@code
 * --elements} parameters through a {@link ShardStepper} (statistics sweep, scaling, the rule's
 * update), all at once as the ranks of one host do, on heap arrays. Prints one JSON line: the
 * rule, whether the vector loops ran ({@code -Dsparkzero.optimizer.vector=off} turns them off;
 * they need {@code --add-modules=jdk.incubator.vector}), and rank 0's median step time over
 * {@code --steps} steps after {@code --warmup}.
 *
 * <p>Usage: {@code OptimizerStepBenchmark [--elements N] [--ranks R] [--optimizer
 * adam|lamb|lars|sgd] [--steps S] [--warmup W]}; {@code deploy/bench/optimizer-step.sh}
 * alternates JVMs with and without the vector loops.
 */
public final class OptimizerStepBenchmark {
  private OptimizerStepBenchmark() {}

  public static void main(String[] args) throws Exception {
    int elements = 10_000_000;
    int ranks = 2;
    String rule = "adam";
    int steps = 15;
    int warmup = 3;
    for (int i = 0; i < args.length; i += 2) {
      String value = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--elements" -> elements = Integer.parseInt(value);
        case "--ranks" -> ranks = Integer.parseInt(value);
        case "--optimizer" -> rule = value;
        case "--steps" -> steps = Integer.parseInt(value);
        case "--warmup" -> warmup = Integer.parseInt(value);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]
            + "; expected --elements, --ranks, --optimizer, --steps or --warmup");
      }
    }
    double[][] times = new double[ranks][steps];
    CyclicBarrier barrier = new CyclicBarrier(ranks);
    Thread[] threads = new Thread[ranks];
    final int n = elements;
    final String name = rule;
    final int measured = steps;
    final int unmeasured = warmup;
    for (int r = 0; r < ranks; r++) {
      final int rank = r;
      threads[r] = new Thread(() -> {
        try {
          rank(rank, n, name, unmeasured, times[rank], barrier);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      threads[r].start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    boolean vector = ShardStepper.vectorLoops();
    StringBuilder all = new StringBuilder();
    for (double t : times[0]) {
      all.append(all.length() == 0 ? "" : ", ").append(BenchJson.format(t));
    }
    System.out.println("{\"optimizer\": " + BenchJson.quote(rule) + ", \"vector\": " + vector
        + ", \"elements\": " + elements + ", \"ranks\": " + ranks + ", \"median_step_ms\": "
        + BenchJson.format(BenchJson.median(times[0])) + ", \"steps_ms\": [" + all + "]}");
  }

  private static void rank(int rank, int n, String rule, int warmup, double[] times,
      CyclicBarrier barrier) throws Exception {
    SplittableRandom random = new SplittableRandom(rank);
    float[] params = new float[n];
    float[] grads = new float[n];
    for (int i = 0; i < n; i++) {
      params[i] = (float) random.nextGaussian();
      grads[i] = (float) random.nextGaussian() * 1e-3f;
    }
    ShardOptimizer optimizer = switch (rule) {
      case "adam" -> new Adam(0.9f, 0.999f, 1e-8f);
      case "lamb" -> new Lamb(0.9f, 0.999f, 1e-6f, 0.01f);
      case "lars" -> new Lars(0.9f, 5e-4f, 0.001, 0);
      case "sgd" -> new SgdMomentum(0.9f);
      default -> throw new IllegalArgumentException("--optimizer " + rule
          + ": expected adam, lamb, lars or sgd");
    };
    ShardStepper stepper = new ShardStepper(optimizer,
        new HeapState(optimizer.stateSlots(), n), RegionUpdate.allTrained(0, n));
    for (int s = -warmup; s < times.length; s++) {
      barrier.await(); // the ranks step together, as they do after a reduction
      long t0 = System.nanoTime();
      stepper.step(FloatBlock.of(params), 0, FloatBlock.of(grads), 0, 0.5f, 1e-3f);
      if (s >= 0) {
        times[s] = (System.nanoTime() - t0) / 1e6;
      }
    }
  }
}
