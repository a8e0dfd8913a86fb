package io.sparkzero.driver.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentResultsTest {
  private static final String GOOD = """
      {"model": "fmnist-cnn", "epochs": 3, "data": "idx:/d", "written_by": "a newer writer", "runs": [
        {"metric": "ssp", "keep": "hard", "fraction": 0.7, "seed": 1, "test_accuracy": 0.8912,
         "kept_examples": 42000, "train_seconds": 151.2},
        {"metric": "none", "keep": "all", "fraction": 1.0, "seed": 1, "test_accuracy": 0.90,
         "kept_examples": 60000, "train_seconds": 200}]}
      """;

  @TempDir
  Path dir;

  @Test
  void aFileOfTheSchemaReadsFromAnyFileSystemUri() throws Exception {
    Path file = dir.resolve("results.json");
    Files.writeString(file, GOOD);
    ExperimentResults results = ExperimentResults.read(new Configuration(), file.toUri().toString());
    assertThat(results.model()).isEqualTo("fmnist-cnn");
    assertThat(results.epochs()).isEqualTo(3);
    assertThat(results.data()).isEqualTo("idx:/d");
    assertThat(results.runs()).containsExactly(
        new ExperimentResults.Run("ssp", "hard", 0.7, 1, 0.8912, 42000, 151.2),
        new ExperimentResults.Run("none", "all", 1.0, 1, 0.90, 60000, 200.0));
  }

  @Test
  void aMissingFileIsNamed() {
    String uri = dir.resolve("absent.json").toUri().toString();
    assertThatThrownBy(() -> ExperimentResults.read(new Configuration(), uri))
        .hasMessageStartingWith("experiment results " + uri + ": cannot read the file");
  }

  @Test
  void brokenJsonSaysWhere() {
    assertThatThrownBy(() -> ExperimentResults.parse("{\"model\": \"m\",\n \"runs\": [}", "r.json"))
        .hasMessageStartingWith("experiment results r.json: not JSON: ").hasMessageContaining("at line 2");
  }

  @Test
  void eachBadFieldIsNamedWithWhatIsAllowed() {
    assertThatThrownBy(() -> ExperimentResults.parse("[1]", "r.json"))
        .hasMessage("experiment results r.json: the file is not a JSON object");
    assertThatThrownBy(() -> ExperimentResults.parse(GOOD.replace("{\"metric\": \"none\"", "[{\"metric\": \"none\""), "r.json"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not JSON");
    assertThatThrownBy(() -> ExperimentResults.parse("{\"model\": \"m\", \"epochs\": 1, \"data\": \"d\", \"runs\": [7]}",
        "r.json")).hasMessage("experiment results r.json: runs[0] is not a JSON object");
    assertThatThrownBy(() -> ExperimentResults.parse("{\"model\": \"m\", \"epochs\": 1, \"data\": \"d\"}", "r.json"))
        .hasMessage("experiment results r.json: runs is missing; expected an array of runs");
    assertThatThrownBy(() -> ExperimentResults.parse(GOOD.replace("\"fraction\": 0.7", "\"fraction\": 1.5"), "r.json"))
        .hasMessage("experiment results r.json: runs[0].fraction is 1.5; expected a number in (0, 1]");
    assertThatThrownBy(() -> ExperimentResults.parse(GOOD.replace("\"test_accuracy\": 0.90,", ""), "r.json"))
        .hasMessage("experiment results r.json: runs[1].test_accuracy is missing; expected a number in [0, 1]");
    assertThatThrownBy(() -> ExperimentResults.parse(GOOD.replace("\"seed\": 1,", "\"seed\": \"one\","), "r.json"))
        .hasMessage("experiment results r.json: runs[0].seed is \"one\"; expected an integer");
    assertThatThrownBy(() -> ExperimentResults.parse(GOOD.replace("\"epochs\": 3", "\"epochs\": 0"), "r.json"))
        .hasMessage("experiment results r.json: epochs is 0; expected an integer >= 1");
    assertThatThrownBy(() -> ExperimentResults.parse(GOOD.replace("\"metric\": \"ssp\"", "\"metric\": \"\""), "r.json"))
        .hasMessage("experiment results r.json: runs[0].metric is \"\"; expected a non-empty string");
  }
}
