package io.sparkzero.bench.model;

import io.sparkzero.bench.Allowed;
import io.sparkzero.bench.BenchArgs;
import io.sparkzero.bench.BenchOption;
import java.util.List;

/**
 * {@link HelperParity}'s command line, {@code MODEL BATCH [HELPERS]}.
 *
 * @param model a zoo model name
 * @param batch samples in the one batch compared
 * @param helpers the layer helpers to compare against DL4J's own path, as {@link
 *     ModelThroughputBenchmark#helperKinds} reads them
 */
record HelperParityArgs(String model, int batch, String helpers) {
  static final BenchOption<String> HELPERS = BenchOption.optional("HELPERS", "all",
      Allowed.anyText("builtin, all or a comma list of conv, pool, bn")
          .where(ModelThroughputArgs::isHelperSpec));

  /** Reads the command line, or throws {@link IllegalArgumentException} saying what is wrong. */
  static HelperParityArgs parse(String... argv) {
    BenchArgs args = BenchArgs.parse("HelperParity",
        List.of(ModelThroughputArgs.MODEL, ModelThroughputArgs.BATCH, HELPERS), argv);
    return new HelperParityArgs(args.get(ModelThroughputArgs.MODEL),
        args.get(ModelThroughputArgs.BATCH), args.get(HELPERS));
  }
}
