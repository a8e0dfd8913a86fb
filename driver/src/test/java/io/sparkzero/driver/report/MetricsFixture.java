package io.sparkzero.driver.report;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Metrics lines as a run writes them (docs/METRICS.md): 3 epochs of 20 steps on 2 ranks, fp16
 * with one skipped step in epoch 1, epoch 2 failing after 10 steps and relaunched from the
 * checkpoint of step 20, an evaluation per epoch, and (optionally) the end line.
 */
final class MetricsFixture {

  static final int EPOCHS = 3;
  static final int STEPS_PER_EPOCH = 20;
  static final int SKIPPED_GLOBAL_STEP = 7;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private MetricsFixture() {}

  static List<ObjectNode> lines(boolean ended) {
    List<ObjectNode> out = new ArrayList<>();
    long t = 1_700_000_000_000L;
    ObjectNode run = line("run", t).put("job", "fmnist <cnn> & \"friends\"")
        .put("app_id", "local-123").put("model", "fmnist-cnn").put("world_size", 2)
        .put("epochs", EPOCHS).put("first_epoch", 1).put("steps_per_epoch", STEPS_PER_EPOCH)
        .put("batch_per_rank", 32).put("global_batch", 64).put("train_examples", 1280)
        .put("zero_stage", 2).put("field_from_the_future", 1);
    run.putObject("config").put("train.epochs", "3").put("zero.stage", "2")
        .put("job.name", "</script><script>alert(1)</script>");
    run.putObject("plan").put("param_bytes", 400_000).put("grad_bytes", 400_000)
        .put("optimizer_bytes", 800_000).put("total_bytes", 1_600_000)
        .put("budget_source", "executor memory");
    out.add(run);
    double scale = 65536;
    for (int epoch = 1; epoch <= EPOCHS; epoch++) {
      if (epoch == 2) {
        for (int step = 1; step <= 10; step++) {
          out.add(step(t += 100, epoch, step, scale, false).put("loss", 9.0));
        }
        out.add(line("recovery", t += 5000).put("epoch", 2).put("from_step", 20)
            .put("seconds_to_resume", 4.2).put("reason", "executor 1 lost <heartbeat>"));
      }
      for (int step = 1; step <= STEPS_PER_EPOCH; step++) {
        int global = (epoch - 1) * STEPS_PER_EPOCH + step;
        boolean skipped = global == SKIPPED_GLOBAL_STEP;
        scale = skipped ? scale / 2 : scale;
        out.add(step(t += 100, epoch, step, scale, skipped));
      }
      out.add(epoch(t += 500, epoch, scale));
      out.add(line("eval", t += 200).put("epoch", epoch).put("accuracy", 0.6 + 0.1 * epoch)
          .put("examples", 256));
      out.add(line("unknown_kind", t));
    }
    if (ended) {
      out.add(line("end", t += 100).put("status", "ok").put("epochs_done", EPOCHS)
          .put("test_accuracy", 0.9).put("wall_s", (t - 1_700_000_000_000L) / 1000.0));
    }
    return out;
  }

  static String text(List<ObjectNode> lines) {
    return lines.stream().map(ObjectNode::toString).collect(Collectors.joining("\n", "", "\n"));
  }

  static ObjectNode line(String kind, long timeMs) {
    return NODES.objectNode().put("kind", kind).put("time_ms", timeMs);
  }

  private static ObjectNode step(long t, int epoch, int step, double scale, boolean skipped) {
    int global = (epoch - 1) * STEPS_PER_EPOCH + step;
    return line("step", t).put("epoch", epoch).put("step", step).put("global_step", global)
        .put("loss", 2.3 / Math.sqrt(global)).put("lr", 0.01 * Math.min(1, global / 10.0))
        .put("grad_norm", 1.5).put("samples_per_s", 900 + global).put("step_ms", 71)
        .put("compute_ms", 40).put("comm_ms", 20).put("optimizer_ms", 5).put("copy_ms", 4)
        .put("batch_ms", 2).put("skipped", skipped).put("loss_scale", scale)
        .put("heap_used_bytes", 300_000_000);
  }

  private static ObjectNode epoch(long t, int epoch, double scale) {
    ObjectNode e = line("epoch", t).put("epoch", epoch).put("steps", STEPS_PER_EPOCH)
        .put("samples", STEPS_PER_EPOCH * 64).put("loss", 2.0 / epoch)
        .put("samples_per_s", 950.0 + epoch).put("stage_samples_per_s", 800.0 + epoch)
        .put("stage_s", 2.5).put("compute_ms", 800).put("comm_ms", 400).put("optimizer_ms", 100)
        .put("copy_ms", 80).put("batch_ms", 40).put("adv_ms", 0).put("lr", 0.01).put("grad_norm", 1.2)
        .put("skipped_steps", epoch == 1 ? 1 : 0).put("loss_scale", scale);
    var ranks = e.putArray("ranks");
    for (int rank = 0; rank < 2; rank++) {
      ranks.addObject().put("rank", rank).put("planned_bytes", 1_600_000)
          .put("state_bytes", 1_650_000 + rank).put("peak_rss_bytes", 900_000_000L)
          .put("heap_max_bytes", 2_000_000_000L);
    }
    return e;
  }
}
