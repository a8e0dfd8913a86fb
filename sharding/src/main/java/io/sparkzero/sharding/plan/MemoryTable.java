package io.sparkzero.sharding.plan;

import java.util.List;
import java.util.Locale;

/** Renders the planner's figures as the fixed-width table {@code spark-zero plan} prints. */
final class MemoryTable {
  private static final String[] HEADERS = {
    "stage", "parameters", "gradients", "optimizer state", "buffers", "persistent", "peak"
  };
  private static final int MIN_WIDTH = 10;

  private MemoryTable() {}

  static String render(MemoryPlanInput in, List<StageMemory> stages) {
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "psi = %,d parameters, N = %,d ranks (shard S = %,d), precision %s (b = %d bytes),"
                + " K = %d bytes/parameter (%d fp32 state float%s%s)\n",
            in.numParams(),
            in.worldSize(),
            in.shardParams(),
            in.precision().key(),
            in.precision().bytes(),
            in.optimizerBytesPerParam(),
            in.optimizerStateFloats(),
            in.optimizerStateFloats() == 1 ? "" : "s",
            in.precision() == Precision.FP32 ? "" : " + fp32 master copy"));
    row(s, HEADERS);
    for (StageMemory m : stages) {
      row(
          s,
          new String[] {
            Integer.toString(m.stage().number()),
            Bytes.format(m.paramBytes()),
            Bytes.format(m.gradBytes()),
            Bytes.format(m.optimizerBytes()),
            Bytes.format(m.bufferBytes()),
            Bytes.format(m.persistentBytes()),
            Bytes.format(m.peakBytes())
          });
    }
    return s.toString();
  }

  /** Right-aligned cells, each as wide as its header (at least {@link #MIN_WIDTH}). */
  private static void row(StringBuilder s, String[] cells) {
    for (int i = 0; i < cells.length; i++) {
      int width = i == 0 ? HEADERS[0].length() : Math.max(MIN_WIDTH, HEADERS[i].length());
      s.append(i == 0 ? "" : "  ")
          .append(" ".repeat(Math.max(0, width - cells[i].length())))
          .append(cells[i]);
    }
    s.append('\n');
  }
}
