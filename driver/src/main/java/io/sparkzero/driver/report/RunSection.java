package io.sparkzero.driver.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkzero.report.HtmlReport;
import io.sparkzero.report.Section;
import io.sparkzero.report.Table;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** What was run: the run's facts and every option of the job. */
final class RunSection {

  /** The {@code run} fields shown as facts, with their labels, in this order. */
  private static final Map<String, String> FACTS = new LinkedHashMap<>();

  static {
    FACTS.put("job", "job");
    FACTS.put("app_id", "Spark application");
    FACTS.put("model", "model");
    FACTS.put("world_size", "world size (ranks)");
    FACTS.put("zero_stage", "ZeRO stage");
    FACTS.put("batch_per_rank", "batch per rank");
    FACTS.put("global_batch", "global batch");
    FACTS.put("steps_per_epoch", "steps per epoch");
    FACTS.put("epochs", "epochs");
    FACTS.put("first_epoch", "first epoch of this run");
    FACTS.put("train_examples", "training examples");
  }

  private RunSection() {}

  static void add(HtmlReport page, TrainingMetrics m, StepSeries steps) {
    Section s = page.section("Run and configuration");
    Map<String, String> facts = new LinkedHashMap<>();
    FACTS.forEach((field, label) -> facts.put(label, Fields.text(m.run(), field, "not logged")));
    facts.put("steps logged", Integer.toString(steps.count()));
    facts.put("started", Fields.instant(Fields.number(m.run(), "time_ms")));
    s.add(Table.keyValue("Run", facts));
    JsonNode config = m.run().path("config");
    if (config.isObject() && !config.isEmpty()) {
      Map<String, String> options = new TreeMap<>();
      config.properties().forEach(e -> options.put(e.getKey(), e.getValue().asText()));
      s.add(Table.keyValue("Configuration (every option, defaults included)", options));
    } else {
      s.note("The run line holds no configuration.");
    }
  }
}
