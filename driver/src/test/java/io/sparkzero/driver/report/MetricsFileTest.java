package io.sparkzero.driver.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsFileTest {

  @TempDir
  Path dir;

  @Test
  void readsEveryLineThroughTheHadoopFileSystemAsPlainPathOrUri() throws Exception {
    Path file = dir.resolve("metrics.jsonl");
    Files.writeString(file, MetricsFixture.text(MetricsFixture.lines(true)));

    List<ObjectNode> plain = MetricsFile.read(new Configuration(), file.toString());
    List<ObjectNode> uri = MetricsFile.read(new Configuration(), file.toUri().toString());

    assertThat(plain).hasSize(MetricsFixture.lines(true).size()).isEqualTo(uri);
    assertThat(plain.get(0).get("kind").asText()).isEqualTo("run");
  }

  @Test
  void aMalformedLineNamesTheFileAndTheLineInOneLine() throws Exception {
    Path file = dir.resolve("bad.jsonl");
    Files.writeString(file, "{\"kind\":\"run\"}\n\n{\"kind\":\"step\", loss: 1}\n{\"kind\":\"end\"}\n");

    assertThatThrownBy(() -> MetricsFile.read(new Configuration(), file.toString()))
        .isInstanceOfSatisfying(MetricsFileException.class, e -> {
          assertThat(e.lineNumber()).isEqualTo(3);
          assertThat(e.uri()).isEqualTo(file.toString());
          assertThat(e.getMessage()).startsWith("metrics file " + file + " line 3: not valid JSON")
              .doesNotContain("\n");
        });
  }

  @Test
  void aLineWithoutKindIsRefused() {
    assertThatThrownBy(() -> MetricsFile.parse("m.jsonl", "{\"kind\":\"run\"}\n[1,2]\n"))
        .isInstanceOf(MetricsFileException.class)
        .hasMessage("metrics file m.jsonl line 2: expected a JSON object with a text \"kind\","
            + " found [1,2]");
  }

  @Test
  void anUnfinishedLastLineOfARunningJobIsSkipped() {
    List<ObjectNode> lines = MetricsFile.parse("m.jsonl", "{\"kind\":\"run\"}\n{\"kind\":\"st");
    assertThat(lines).hasSize(1);
  }

  @Test
  void aMissingFileSaysSoAndNamesIt() {
    String missing = dir.resolve("nope.jsonl").toUri().toString();
    assertThatThrownBy(() -> MetricsFile.read(new Configuration(), missing))
        .isInstanceOf(MetricsFileException.class)
        .hasMessageStartingWith("metrics file " + missing + ": not found")
        .hasMessageNotContaining("\n");
  }
}
