package io.sparkzero.bench.model;

import io.sparkzero.bench.Allowed;
import io.sparkzero.bench.BenchArgs;
import io.sparkzero.bench.BenchOption;
import io.sparkzero.worker.model.ModelZoo;
import java.util.List;

/**
 * {@link ModelThroughputBenchmark}'s command line, {@code MODEL BATCH STEPS THREADS [RUNS
 * [HELPERS]]}; {@link HelperParityArgs} shares its {@code MODEL} and {@code BATCH}.
 *
 * @param model a zoo model name
 * @param batch samples per step
 * @param steps timed steps per run
 * @param threads ND4J threads
 * @param runs timed runs; the result line gives their medians
 * @param helpers {@code default} or a spec for {@link ModelThroughputBenchmark#helperKinds}
 */
record ModelThroughputArgs(
    String model, int batch, int steps, int threads, int runs, String helpers) {
  static final BenchOption<String> MODEL = BenchOption.required("MODEL",
      Allowed.anyText("one of " + String.join(", ", ModelZoo.names())
          + ", or wide-mlp:<width>[x<hidden layers>]").where(ModelZoo::isKnown));
  static final BenchOption<Integer> BATCH =
      BenchOption.required("BATCH", Allowed.intIn(1, Integer.MAX_VALUE));
  static final BenchOption<Integer> STEPS =
      BenchOption.required("STEPS", Allowed.intIn(1, Integer.MAX_VALUE));
  static final BenchOption<Integer> THREADS =
      BenchOption.required("THREADS", Allowed.intIn(1, Integer.MAX_VALUE));
  static final BenchOption<Integer> RUNS =
      BenchOption.optional("RUNS", 5, Allowed.intIn(1, Integer.MAX_VALUE));
  static final BenchOption<String> HELPERS = BenchOption.optional("HELPERS", "default",
      Allowed.anyText("default, builtin, all or a comma list of conv, pool, bn")
          .where(h -> h.equals("default") || isHelperSpec(h)));

  /** Reads the command line, or throws {@link IllegalArgumentException} saying what is wrong. */
  static ModelThroughputArgs parse(String... argv) {
    BenchArgs args = BenchArgs.parse("ModelThroughputBenchmark",
        List.of(MODEL, BATCH, STEPS, THREADS, RUNS, HELPERS), argv);
    return new ModelThroughputArgs(args.get(MODEL), args.get(BATCH), args.get(STEPS),
        args.get(THREADS), args.get(RUNS), args.get(HELPERS));
  }

  /** Whether {@link ModelThroughputBenchmark#helperKinds} accepts {@code spec}. */
  static boolean isHelperSpec(String spec) {
    try {
      ModelThroughputBenchmark.helperKinds(spec);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
