package io.sparkzero.bench.model;

import io.sparkzero.sharding.plan.ScalingModel;
import io.sparkzero.sharding.plan.ZeroStage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints {@link ScalingModel}'s predicted step times, one JSON line per workload, stage and rank
 * count, and per workload and stage the rank count from which the step is communication-bound.
 * {@code deploy/bench/scaling.py} feeds it workloads measured at one rank and compares its
 * predictions with measured steps.
 *
 * <pre>
 * ScalingTable --latency-s 2e-5 --bytes-per-s 3.5e8 [--cores 2] [--overlap false]
 *     [--bytes-per-element 4] [--ranks 2,4,8] NAME:PARAMS:LAYERS:COMPUTE_S:OPTIMIZER_S ...
 * </pre>
 */
public final class ScalingTable {
  private ScalingTable() {}

  public static void main(String[] args) {
    Map<String, String> options = new LinkedHashMap<>(Map.of("--cores",
        String.valueOf(Integer.MAX_VALUE), "--overlap", "true", "--bytes-per-element", "4",
        "--ranks", "2,4,8,16,32,64,128,256,512,1024"));
    List<ScalingModel.Workload> workloads = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].startsWith("--")) {
        if (i + 1 == args.length) {
          throw new IllegalArgumentException(args[i] + " needs a value");
        }
        options.put(args[i], args[++i]);
      } else {
        workloads.add(workload(args[i]));
      }
    }
    if (!options.containsKey("--latency-s") || !options.containsKey("--bytes-per-s")
        || workloads.isEmpty()) {
      throw new IllegalArgumentException("usage: ScalingTable --latency-s S --bytes-per-s B"
          + " [--cores C] [--overlap true|false] [--bytes-per-element 2|4] [--ranks 2,4,..]"
          + " NAME:PARAMS:LAYERS:COMPUTE_S:OPTIMIZER_S ...");
    }
    ScalingModel.Link link = new ScalingModel.Link("link",
        Double.parseDouble(options.get("--latency-s")),
        Double.parseDouble(options.get("--bytes-per-s")));
    int cores = Integer.parseInt(options.get("--cores"));
    boolean overlap = Boolean.parseBoolean(options.get("--overlap"));
    int bytes = Integer.parseInt(options.get("--bytes-per-element"));
    for (ScalingModel.Workload work : workloads) {
      for (ZeroStage stage : ZeroStage.values()) {
        for (String n : options.get("--ranks").split(",")) {
          ScalingModel.Estimate e = ScalingModel.predict(work, link, stage,
              Integer.parseInt(n.trim()), bytes, overlap, cores);
          System.out.printf(Locale.ROOT, "{\"workload\": \"%s\", \"stage\": %d, \"ranks\": %d,"
              + " \"compute_s\": %.6f, \"optimizer_s\": %.6f, \"comm_s\": %.6f,"
              + " \"exposed_comm_s\": %.6f, \"step_s\": %.6f, \"communication_bound\": %b}%n",
              work.name(), stage.number(), e.ranks(), e.computeS(), e.optimizerS(), e.commS(),
              e.exposedCommS(), e.stepS(), e.communicationBound());
        }
        System.out.printf(Locale.ROOT, "{\"workload\": \"%s\", \"stage\": %d,"
            + " \"communication_bound_from\": %d}%n", work.name(), stage.number(),
            ScalingModel.communicationBoundFrom(work, link, stage, bytes, overlap, 1024));
      }
    }
  }

  private static ScalingModel.Workload workload(String spec) {
    String[] p = spec.split(":");
    if (p.length != 5) {
      throw new IllegalArgumentException("workload '" + spec + "': expected"
          + " NAME:PARAMS:LAYERS:COMPUTE_S:OPTIMIZER_S");
    }
    return new ScalingModel.Workload(p[0], Long.parseLong(p[1]), Integer.parseInt(p[2]),
        Double.parseDouble(p[3]), Double.parseDouble(p[4]));
  }
}
