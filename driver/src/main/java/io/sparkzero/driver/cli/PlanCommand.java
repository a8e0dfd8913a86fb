package io.sparkzero.driver.cli;

import io.sparkzero.driver.options.JobConfig;
import io.sparkzero.driver.train.MemoryCheck;
import io.sparkzero.sharding.options.ConfigException;
import io.sparkzero.sharding.plan.Bytes;
import io.sparkzero.sharding.plan.MemoryFit;
import io.sparkzero.sharding.plan.MemoryPlanInput;
import io.sparkzero.sharding.plan.MemoryPlanner;
import io.sparkzero.sharding.plan.OffloadPlan;
import io.sparkzero.sharding.plan.Precision;
import io.sparkzero.sharding.plan.ZeroStage;
import io.sparkzero.worker.optim.OptimizerKind;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code spark-zero plan job.yaml} or {@code spark-zero plan --params 7.5e9 --ranks 64 ...}: the
 * per-rank bytes of parameters, gradients, optimizer state and buffers at every ZeRO stage, and,
 * when a stage and a per-rank budget are known, whether that stage fits (exit code 3 when not).
 */
@Command(name = "plan", mixinStandardHelpOptions = true,
    description = "Print per-rank memory of ZeRO stages 0-3 for a job file, or for a parameter"
        + " count, world size, dtype and optimizer.")
final class PlanCommand implements Callable<Integer> {
  static final int DOES_NOT_FIT = 3;

  @Parameters(index = "0", arity = "0..1", paramLabel = "JOB.yaml", description = "Job file (YAML).")
  Path jobFile;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one job option.")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Option(names = "--params", paramLabel = "N",
      description = "Parameter count, e.g. 20037642 or 7.5e9 (instead of a job file).")
  String params;

  @Option(names = "--ranks", paramLabel = "N", defaultValue = "1", description = "World size.")
  int ranks;

  @Option(names = "--dtype", defaultValue = "fp32",
      description = "Compute precision of parameters and gradients: fp32, fp16, bf16.")
  String dtype;

  @Option(names = "--optimizer", defaultValue = "adam", description = "sgd, adam, lars or lamb"
      + " (1 state float per parameter for sgd and lars, 2 for adam and lamb).")
  String optimizer;

  @Option(names = "--largest-layer", paramLabel = "N",
      description = "Parameters of the largest layer, for the stage 2 and 3 step buffers (an upper"
          + " bound: prefetch + 1 gathered layers and two layer gradients); default: 1% of the model.")
  String largestLayer;

  @Option(names = "--prefetch", paramLabel = "N", defaultValue = "1",
      description = "Layers gathered ahead at stage 3 (zero.prefetch-layers).")
  int prefetch;

  @Option(names = "--stage", paramLabel = "0-3", description = "Check this stage against --budget.")
  Integer stage;

  @Option(names = "--budget", paramLabel = "BYTES",
      description = "Memory per rank, e.g. 2g or 1536m, to check --stage against.")
  String budget;

  @Override
  public Integer call() {
    PrintStream out = System.out;
    if (jobFile != null || !overrides.isEmpty()) {
      if (params != null) {
        throw new ConfigException("--params", "give either a job file or --params, not both");
      }
      MemoryCheck.JobPlan plan = MemoryCheck.plan(JobConfig.load(jobFile, overrides));
      out.print(MemoryPlanner.table(plan.input()));
      return report(out, plan.input(), plan.stage(), plan.offload(), plan.budget().bytes(),
          plan.budget().source());
    }
    if (params == null) {
      throw new ConfigException("--params", "give a job file or --params with the parameter count");
    }
    long numParams = count("--params", params);
    long largest = largestLayer == null ? Math.max(1, numParams / 100) : count("--largest-layer", largestLayer);
    OptimizerKind kind;
    try {
      kind = OptimizerKind.named(optimizer);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--optimizer", optimizer, String.join(" | ", OptimizerKind.names()));
    }
    MemoryPlanInput input;
    try {
      input = MemoryPlanInput.withLargestLayer(numParams, ranks, Precision.parse(dtype),
          kind.stateSlots(), largest, prefetch);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("plan", e.getMessage());
    }
    out.print(MemoryPlanner.table(input));
    if (stage == null || budget == null) {
      return 0;
    }
    ZeroStage checked;
    try {
      checked = ZeroStage.of(stage);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--stage", e.getMessage());
    }
    return report(out, input, checked, OffloadPlan.none(), bytes(budget), "--budget");
  }

  private static int report(PrintStream out, MemoryPlanInput input, ZeroStage stage,
      OffloadPlan offload, long budgetBytes, String source) {
    MemoryFit fit = MemoryPlanner.check(input, stage, offload, budgetBytes);
    out.println((fit.fits() ? "fits: " : "does not fit: ") + fit.message() + " (budget: " + source
        + ", " + Bytes.format(budgetBytes) + ")");
    return fit.fits() ? 0 : DOES_NOT_FIT;
  }

  private static long count(String option, String text) {
    try {
      double value = Double.parseDouble(text);
      if (value < 1 || value > Long.MAX_VALUE || value != Math.rint(value)) {
        throw new NumberFormatException();
      }
      return (long) value;
    } catch (NumberFormatException e) {
      throw new ConfigException(option, text, "a positive whole number, e.g. 20037642 or 7.5e9");
    }
  }

  private static long bytes(String text) {
    try {
      return org.apache.spark.network.util.JavaUtils.byteStringAsBytes(text);
    } catch (RuntimeException e) {
      throw new ConfigException("--budget", text, "a size such as 2g, 1536m or 1073741824");
    }
  }
}
