package io.sparkzero.driver.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A metrics file's lines sorted by kind (docs/METRICS.md). Kinds it does not know are dropped,
 * fields it does not know are kept in the lines and never read.
 *
 * @param run the {@code run} line, empty when missing
 * @param steps one {@code step} line per global step, ascending: when a recovered epoch replays
 *     steps, the last try of each step is kept, as it is the one the model kept
 * @param epochs one {@code epoch} line per epoch, ascending (the last, if one repeats)
 * @param evals the {@code eval} lines, in order
 * @param recoveries the {@code recovery} lines, in order
 * @param end the {@code end} line, or null while the run is going on
 * @param lastTimeMs the newest {@code time_ms} of any line, NaN when none has one
 */
public record TrainingMetrics(ObjectNode run, List<ObjectNode> steps, List<ObjectNode> epochs,
    List<ObjectNode> evals, List<ObjectNode> recoveries, ObjectNode end, double lastTimeMs) {

  /** Sorts parsed lines; every element must be a JSON object (others are ignored). */
  public static TrainingMetrics of(List<? extends JsonNode> lines) {
    ObjectNode run = JsonNodeFactory.instance.objectNode();
    TreeMap<Long, ObjectNode> steps = new TreeMap<>();
    TreeMap<Long, ObjectNode> epochs = new TreeMap<>();
    List<ObjectNode> evals = new ArrayList<>();
    List<ObjectNode> recoveries = new ArrayList<>();
    ObjectNode end = null;
    double lastTimeMs = Double.NaN;
    long order = 0;
    for (JsonNode node : lines) {
      if (!(node instanceof ObjectNode line)) {
        continue;
      }
      double time = Fields.number(line, "time_ms");
      if (!Double.isNaN(time)) {
        lastTimeMs = Double.isNaN(lastTimeMs) ? time : Math.max(lastTimeMs, time);
      }
      order++;
      switch (line.path("kind").asText()) {
        case "run" -> run = line;
        // Without a global_step (an older writer), the line's position keeps the order.
        case "step" -> steps.put(line.path("global_step").asLong(order), line);
        case "epoch" -> epochs.put(line.path("epoch").asLong(order), line);
        case "eval" -> evals.add(line);
        case "recovery" -> recoveries.add(line);
        case "end" -> end = line;
        default -> { } // a kind from a newer writer: ignored, as docs/METRICS.md asks
      }
    }
    return new TrainingMetrics(run, List.copyOf(steps.values()), List.copyOf(epochs.values()),
        List.copyOf(evals), List.copyOf(recoveries), end, lastTimeMs);
  }

  /** True once the {@code end} line is written. */
  public boolean ended() {
    return end != null;
  }

  /** The {@code epoch} line of the highest epoch, or null when none ended yet. */
  public ObjectNode lastEpoch() {
    return epochs.isEmpty() ? null : epochs.get(epochs.size() - 1);
  }
}
