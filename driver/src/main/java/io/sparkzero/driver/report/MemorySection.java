package io.sparkzero.driver.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkzero.report.BarChart;
import io.sparkzero.report.HtmlReport;
import io.sparkzero.report.Section;
import io.sparkzero.report.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Planned against measured memory per rank, from the last epoch, and the memory plan. */
final class MemorySection {

  private MemorySection() {}

  static void add(HtmlReport page, TrainingMetrics m) {
    Section s = page.section("Memory per rank");
    ObjectNode last = m.lastEpoch();
    List<JsonNode> ranks = new ArrayList<>();
    if (last != null) {
      last.path("ranks").forEach(ranks::add);
    }
    List<String> labels = ranks.stream().map(r -> "rank " + r.path("rank").asText()).toList();
    BarChart chart = new BarChart("memory-per-rank", "Model state planned and measured, and peak"
        + " resident memory, per rank" + (last == null ? "" : " (epoch " + last.path("epoch")
        .asText() + ")"), labels, false).axes("rank", "MiB")
        .series("planned model state", mib(ranks, "planned_bytes"))
        .series("measured model state", mib(ranks, "state_bytes"))
        .series("peak RSS", mib(ranks, "peak_rss_bytes"));
    s.chartOr(chart, "No epoch has reported its ranks' memory yet.");
    s.note("Planned: the memory plan's model state per rank (parameters, gradients, optimizer"
        + " state). Measured: the same state in the rank's buffers. Peak RSS: the executor"
        + " process's peak resident memory, everything included.");
    JsonNode plan = m.run().path("plan");
    if (plan.isObject() && !plan.isEmpty()) {
      Table table = new Table("Memory plan per rank", "part", "planned");
      for (Map.Entry<String, JsonNode> e : plan.properties()) {
        table.row(e.getKey(), e.getValue().isNumber() && e.getKey().endsWith("_bytes")
            ? Fields.bytes(e.getValue().asDouble()) : e.getValue().asText());
      }
      s.add(table);
    }
  }

  private static double[] mib(List<JsonNode> ranks, String field) {
    return ranks.stream().mapToDouble(r -> Fields.mib(Fields.number(r, field))).toArray();
  }
}
