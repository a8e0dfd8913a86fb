package io.sparkzero.driver.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkzero.driver.cli.SparkZeroCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingReportPageTest {

  private static final Pattern OPTION =
      Pattern.compile("<script type=\"application/json\" id=\"chart-([a-z0-9-]+)-option\">(.*?)</script>");

  @TempDir
  Path dir;

  @Test
  void aFinishedRunHasEveryChartTheHeadlineAndEscapedText() throws Exception {
    String html = TrainingReportPage.render(MetricsFixture.lines(true));

    assertThat(options(html).keySet()).containsExactly("loss-per-step",
        "loss-accuracy-per-epoch", "learning-rate", "throughput-per-step",
        "throughput-per-epoch", "step-time-per-epoch", "memory-per-rank",
        "skipped-steps-per-epoch", "loss-scale");
    assertThat(html).contains("<dt>status</dt><dd>ok</dd>")
        .contains("<dt>final test accuracy</dt><dd>90.00 %</dd>")
        .contains("Training report: fmnist &lt;cnn&gt; &amp; &quot;friends&quot;")
        .contains("executor 1 lost &lt;heartbeat&gt;")
        .contains("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;")
        .contains("60 steps, each drawn as a point.")
        .doesNotContain("<script>alert(1)");
  }

  @Test
  void replayedStepsKeepTheirLastTryAndMissingValuesAreGaps() throws Exception {
    List<ObjectNode> lines = new ArrayList<>(MetricsFixture.lines(true));
    ((ObjectNode) lines.stream().filter(l -> l.path("global_step").asInt() == 3).findFirst()
        .orElseThrow()).remove("lr");

    var options = options(TrainingReportPage.render(lines));

    JsonNode loss = options.get("loss-per-step").at("/series/0/data");
    assertThat(loss).hasSize(MetricsFixture.EPOCHS * MetricsFixture.STEPS_PER_EPOCH);
    // Epoch 2's failed attempt logged loss 9; the relaunched steps are the ones kept.
    assertThat(loss.get(25).get(1).asDouble()).isLessThan(1);
    assertThat(options.get("learning-rate").at("/series/0/data/2/1").isNull()).isTrue();
    assertThat(options.get("memory-per-rank").at("/xAxis/data").toString())
        .isEqualTo("[\"rank 0\",\"rank 1\"]");
    assertThat(options.get("step-time-per-epoch").at("/series/0/data/0").asDouble())
        .isEqualTo(40.0);
    assertThat(options.get("loss-scale").at("/yAxis/0/type").asText()).isEqualTo("log");
  }

  @Test
  void aRunningJobSaysRunning() {
    String html = TrainingReportPage.render(MetricsFixture.lines(false));
    assertThat(html).contains("<dd>running</dd>").contains("so far")
        .contains("<dd>90.00 % (epoch 3)</dd>");
  }

  @Test
  void aLongRunIsDownsampledAndSaysSo() throws Exception {
    List<ObjectNode> lines = new ArrayList<>();
    lines.add(MetricsFixture.line("run", 0).put("job", "long"));
    for (int g = 1; g <= 100_000; g++) {
      lines.add(MetricsFixture.line("step", g).put("global_step", g).put("loss", 1.0 / g)
          .put("lr", 0.1).put("samples_per_s", 1000));
    }
    String html = TrainingReportPage.render(lines);

    var options = options(html);
    for (JsonNode option : options.values()) {
      for (JsonNode series : option.get("series")) {
        assertThat(series.get("data").size()).isLessThanOrEqualTo(StepSeries.MAX_POINTS);
      }
    }
    assertThat(options.get("loss-per-step").get("series")).hasSize(3);
    assertThat(html).contains("100000 steps, drawn as 2000 points: each point is the mean of 50");
    assertThat(html.length()).isLessThan(3_000_000);
  }

  @Test
  void writesThroughTheHadoopFileSystemAndReplacesAnOlderPage() throws Exception {
    Path metrics = dir.resolve("metrics.jsonl");
    Files.writeString(metrics, MetricsFixture.text(MetricsFixture.lines(false)));
    Path out = dir.resolve("report.html");
    Files.writeString(out, "old");

    TrainingReportPage.write(new Configuration(), metrics.toUri().toString(),
        out.toUri().toString());

    assertThat(Files.readString(out)).startsWith("<!DOCTYPE html>").contains("running");
    assertThat(dir.resolve(".report.html.tmp")).doesNotExist();
  }

  @Test
  void theCliCommandWritesTheReportAndFailsOnAMissingFile() throws Exception {
    Path metrics = dir.resolve("m.jsonl");
    Files.writeString(metrics, MetricsFixture.text(MetricsFixture.lines(true)));
    Path out = dir.resolve("r.html");
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int ok;
    int missing;
    try {
      System.setErr(new PrintStream(captured, true));
      ok = SparkZeroCli.execute("report", metrics.toString(), out.toString());
      missing = SparkZeroCli.execute("report", dir.resolve("none.jsonl").toString(),
          out.toString());
    } finally {
      System.setErr(err);
    }
    assertThat(ok).isZero();
    assertThat(out).exists();
    assertThat(missing).isNotZero();
    assertThat(captured.toString()).contains("metrics file " + dir.resolve("none.jsonl")
        + ": not found");
  }

  /** Chart kind to its ECharts option, in page order. */
  private static java.util.LinkedHashMap<String, JsonNode> options(String html) throws Exception {
    var out = new java.util.LinkedHashMap<String, JsonNode>();
    Matcher m = OPTION.matcher(html);
    while (m.find()) {
      out.put(m.group(1), new ObjectMapper().readTree(m.group(2)));
    }
    return out;
  }
}
