package io.sparkzero.driver.prune;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkzero.pruning.SelectionSummary;
import io.sparkzero.pruning.ssp.SspResult;
import java.util.Map;

/**
 * {@code summary.json}: what was scored ({@code metric} selects, {@code metrics} lists every one
 * scored), the policy used and why, and what was kept per class.
 */
final class PruneSummary {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private PruneSummary() {}

  static String json(PruneOutcome outcome) {
    SelectionSummary s = outcome.selection().summary();
    PruneSettings settings = outcome.settings();
    ObjectNode root = JSON.createObjectNode();
    root.put("data", outcome.data());
    root.put("metric", s.metric());
    ArrayNode metrics = root.putArray("metrics");
    settings.metrics().forEach(m -> metrics.add(m.configValue()));
    root.put("embedding", settings.needsEmbedding() ? settings.embedding() : null);
    root.put("policy", s.policyUsed().configValue());
    root.put("policy_reason", s.policyReason());
    root.put("fraction_requested", s.fractionRequested());
    root.put("fraction_actual", s.fractionActual());
    root.put("class_floor", settings.selection().classFloor());
    root.put("examples", s.examplesTotal());
    root.put("kept", s.keptTotal());
    root.put("min_kept", settings.minKeptExamples());
    ArrayNode classes = root.putArray("classes");
    for (Map.Entry<Integer, Long> e : s.examplesPerClass().entrySet()) {
      classes.addObject().put("label", e.getKey()).put("examples", e.getValue())
          .put("kept", s.keptPerClass().getOrDefault(e.getKey(), 0L));
    }
    if (settings.needsProbes()) {
      root.putObject("probes").put("epochs", settings.probes().epochs()).put("seeds", settings.probes().seeds())
          .put("first_train_seed", settings.probes().firstSeed());
    }
    SspResult ssp = outcome.scores().ssp();
    if (ssp != null) {
      ObjectNode clusters = root.putObject("ssp");
      clusters.put("k", ssp.clusterCount());
      ArrayNode sizes = clusters.putArray("cluster_sizes");
      for (long size : ssp.clusterSizes()) {
        sizes.add(size);
      }
    }
    if (!outcome.scores().seconds().isEmpty()) {
      ObjectNode seconds = root.putObject("scoring_seconds");
      outcome.scores().seconds().forEach(seconds::put);
    }
    KnnCheck knn = outcome.knnCheck();
    if (knn != null) {
      root.putObject("knn_check").put("k", knn.k()).put("test_examples", knn.testExamples())
          .put("embedding", knn.embedding()).put("embedding_accuracy", knn.embeddingAccuracy())
          .put("pixels_accuracy", knn.pixelsAccuracy()).put("seconds", knn.seconds());
    }
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("summary.json could not be serialised", e); // a tree always can
    }
  }
}
