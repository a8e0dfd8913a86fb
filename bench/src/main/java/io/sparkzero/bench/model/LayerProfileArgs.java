package io.sparkzero.bench.model;

import io.sparkzero.bench.Allowed;
import io.sparkzero.bench.BenchArgs;
import io.sparkzero.bench.BenchOption;
import io.sparkzero.worker.model.ModelZoo;
import java.util.List;

/**
 * {@link LayerProfile}'s command line, {@code [BATCH] [PASSES] [HELPERS] [--model NAME] [--warmup
 * N] [--threads N]}.
 *
 * @param batch samples per pass
 * @param passes timed passes of each kind (layer by layer, and the model's own); medians reported
 * @param helpers {@code default} or a spec for {@link ModelThroughputBenchmark#helperKinds}
 * @param model a zoo model built as a DL4J MultiLayerNetwork
 * @param warmupPasses untimed passes of each kind first
 * @param threads ND4J threads
 */
record LayerProfileArgs(
    int batch, int passes, String helpers, String model, int warmupPasses, int threads) {
  static final BenchOption<Integer> BATCH =
      BenchOption.optional("BATCH", 128, Allowed.intIn(1, Integer.MAX_VALUE));
  static final BenchOption<Integer> PASSES =
      BenchOption.optional("PASSES", 20, Allowed.intIn(1, Integer.MAX_VALUE));
  static final BenchOption<String> MODEL = BenchOption.flag("--model", "NAME", "fmnist-cnn",
      Allowed.anyText("a MultiLayerNetwork zoo model: fmnist-cnn, mlp or wide-mlp[:<width>[x<hidden layers>]]")
          .where(ModelZoo::isKnown));
  static final BenchOption<Integer> WARMUP =
      BenchOption.flag("--warmup", "N", 5, Allowed.intIn(0, Integer.MAX_VALUE));
  static final BenchOption<Integer> THREADS =
      BenchOption.flag("--threads", "N", 1, Allowed.intIn(1, Integer.MAX_VALUE));

  /** Reads the command line, or throws {@link IllegalArgumentException} saying what is wrong. */
  static LayerProfileArgs parse(String... argv) {
    BenchArgs args = BenchArgs.parse("LayerProfile",
        List.of(BATCH, PASSES, ModelThroughputArgs.HELPERS, MODEL, WARMUP, THREADS), argv);
    return new LayerProfileArgs(args.get(BATCH), args.get(PASSES),
        args.get(ModelThroughputArgs.HELPERS), args.get(MODEL), args.get(WARMUP),
        args.get(THREADS));
  }
}
