package io.sparkzero.driver.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunSummaryTest {

  private static RunSummary summary(String model, Double testAccuracy,
      List<RunSummary.Recovery> recoveries) {
    RunSummary.Epoch epoch = new RunSummary.Epoch(0.5, 1000.0, 900.0,
        new RunSummary.Millis(10, 2, 1, 3, 4, 5, 6), 4096, 0.001, 1.5, 0, testAccuracy,
        null);
    return new RunSummary(model, 2, 2, "lamb", 32, 1, 64, 0.002, 5, 32, List.of(epoch),
        new RunSummary.StateBytes(1, 2, 3, 4, 5), new RunSummary.ProcessBytes(6, 7),
        new RunSummary.Offload(8, 0.1, 0.2, 9, 0.3, 0.4, 10),
        new RunSummary.PredictedBytes(11, 12, 13, 14), testAccuracy, null,
        testAccuracy == null ? null : testAccuracy - 0.5, recoveries);
  }

  @Test
  void aModelNameWithQuotesAndBackslashesStaysValidJson() throws Exception {
    String model = "file:/models/a \"quoted\" name\\with\\backslashes.zip";
    JsonNode json = new ObjectMapper().readTree(summary(model, null, List.of()).toJson());
    assertThat(json.get("model").asText()).isEqualTo(model);
  }

  @Test
  void fieldsAreWrittenInSnakeCaseUnderTheNamesTheBenchmarkScriptsRead() throws Exception {
    JsonNode json = new ObjectMapper().readTree(summary("mlp", 0.9, List.of(
        new RunSummary.Recovery(2, 32, 1.25, 1234))).toJson());
    assertThat(json.fieldNames()).toIterable().containsExactly("model", "zero_stage", "ranks",
        "optimizer", "batch_per_rank", "micro_batches", "global_batch", "peak_lr", "warmup_steps",
        "steps_per_epoch", "epochs", "rank0_state_bytes", "rank0_process", "rank0_offload",
        "predicted_state_bytes", "test_accuracy", "robust_test_accuracy", "recoveries");
    JsonNode epoch = json.get("epochs").get(0);
    assertThat(epoch.fieldNames()).toIterable().containsExactly("loss",
        "step_loop_samples_per_s", "stage_samples_per_s", "rank0_ms",
        "rank0_comm_bytes_per_step", "last_lr",
        "last_grad_norm", "skipped_steps", "test_accuracy");
    assertThat(epoch.get("rank0_ms").fieldNames()).toIterable()
        .containsExactly("compute", "comm", "copy", "optimizer", "batching", "adversarial",
            "comm_hidden");
    assertThat(json.get("rank0_state_bytes").get("peak_params").asLong()).isEqualTo(5);
    assertThat(json.get("rank0_process").get("peak_rss_bytes").asLong()).isEqualTo(6);
    assertThat(json.get("rank0_offload").get("read_gb_per_s").asDouble()).isEqualTo(0.2);
    assertThat(json.get("rank0_offload").get("disk_bytes_per_rank").asLong()).isEqualTo(10);
    assertThat(json.get("robust_test_accuracy").asDouble()).isEqualTo(0.4);
    assertThat(json.get("recoveries").get(0).get("seconds_to_resume").asDouble())
        .isEqualTo(1.25);
    assertThat(json.get("recoveries").get(0).get("from_step").asLong()).isEqualTo(32);
  }

  @Test
  void theLineIsSpacedAsTheScriptsReadIt() {
    String line = summary("mlp", null, List.of(new RunSummary.Recovery(2, 32, 1.25, 1234)))
        .toJson();
    assertThat(line).doesNotContain("\n").startsWith("{\"model\": \"mlp\", \"zero_stage\": 2, ")
        .contains("\"rank0_ms\": {\"compute\": 10, \"comm\": 2, ")
        .contains("\"recoveries\": [{\"epoch\": 2, ");
  }

  @Test
  void accuracyIsLeftOutWhenNothingWasEvaluated() throws Exception {
    JsonNode json = new ObjectMapper().readTree(summary("mlp", null, List.of()).toJson());
    assertThat(json.has("test_accuracy")).isFalse();
    assertThat(json.get("epochs").get(0).has("test_accuracy")).isFalse();
    assertThat(json.get("recoveries")).isEmpty();
  }
}
