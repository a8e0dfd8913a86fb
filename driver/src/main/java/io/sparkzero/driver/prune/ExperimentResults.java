package io.sparkzero.driver.prune;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoublePredicate;
import java.util.function.Predicate;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * An experiment's results file: models trained on pruned data, one run per (metric, keep,
 * fraction, seed), and their test accuracy. The comparison command writes it; {@code
 * pruning.experiment} names it for the report. Read as a JSON tree and checked field by field, so
 * a bad file is refused in one line naming the file, the field ({@code runs[2].fraction}) and what
 * is allowed; unknown fields are ignored, so a newer writer's file still reads.
 *
 * <pre>{"model": "fmnist-cnn", "epochs": 3, "data": "...", "runs": [
 *   {"metric": "ssp", "keep": "hard", "fraction": 0.7, "seed": 1, "test_accuracy": 0.8912,
 *    "kept_examples": 42000, "train_seconds": 151.2}, ...]}</pre>
 *
 * @param model the trained model
 * @param epochs epochs of each run
 * @param data the training data's spec
 * @param runs every run, in the file's order
 */
public record ExperimentResults(String model, int epochs, String data, List<Run> runs) {

  /** The metric of the runs on the full data, the reference every pruned run is compared with. */
  public static final String FULL_DATA = "none";

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One trained model.
   *
   * @param metric the pruning metric ({@link #FULL_DATA} for no pruning)
   * @param keep which end was kept: hard, easy, or all for the full data
   * @param fraction the share of the examples kept, in (0, 1]
   * @param seed the run's seed
   * @param testAccuracy the share of the test examples classified right, in [0, 1]
   * @param keptExamples how many examples it trained on
   * @param trainSeconds its training time
   */
  public record Run(String metric, String keep, double fraction, long seed, double testAccuracy,
      long keptExamples, double trainSeconds) {}

  public ExperimentResults {
    runs = List.copyOf(runs);
  }

  /** Reads the file at {@code uri}, any Hadoop FileSystem URI. */
  public static ExperimentResults read(Configuration conf, String uri) {
    String text;
    try {
      Path path = new Path(uri);
      try (InputStream in = path.getFileSystem(conf).open(path)) {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("experiment results " + uri + ": cannot read the file: "
          + e.getMessage() + "; give the URI of a results file the comparison command wrote");
    }
    return parse(text, uri);
  }

  /** Parses {@code json}; {@code source} names it in errors. */
  public static ExperimentResults parse(String json, String source) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      String at = e.getLocation() == null ? ""
          : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw new IllegalArgumentException("experiment results " + source + ": not JSON: "
          + e.getOriginalMessage() + at);
    }
    Fields top = new Fields(source, root, "");
    JsonNode runsNode = top.require("runs", JsonNode::isArray, "an array of runs");
    List<Run> runs = new ArrayList<>();
    for (int i = 0; i < runsNode.size(); i++) {
      Fields run = new Fields(source, runsNode.get(i), "runs[" + i + "].");
      runs.add(new Run(run.text("metric"), run.text("keep"),
          run.number("fraction", v -> v > 0 && v <= 1, "a number in (0, 1]"),
          run.require("seed", JsonNode::canConvertToLong, "an integer").asLong(),
          run.number("test_accuracy", v -> v >= 0 && v <= 1, "a number in [0, 1]"),
          run.require("kept_examples", n -> n.canConvertToLong() && n.asLong() >= 0, "an integer >= 0").asLong(),
          run.number("train_seconds", v -> v >= 0, "a number >= 0")));
    }
    return new ExperimentResults(top.text("model"),
        top.require("epochs", n -> n.canConvertToInt() && n.asInt() >= 1, "an integer >= 1").asInt(),
        top.text("data"), runs);
  }

  /**
   * One JSON object's fields, each checked with an error that says where it is.
   *
   * @param prefix what precedes a field's name in errors: empty at the top, {@code runs[2].} in a run
   */
  private record Fields(String source, JsonNode node, String prefix) {
    Fields {
      if (!node.isObject()) {
        throw new IllegalArgumentException("experiment results " + source + ": "
            + (prefix.isEmpty() ? "the file" : prefix.substring(0, prefix.length() - 1)) + " is not a JSON object");
      }
    }

    JsonNode require(String name, Predicate<JsonNode> valid, String allowed) {
      JsonNode value = node.get(name);
      if (value == null || value.isNull()) {
        throw new IllegalArgumentException("experiment results " + source + ": " + prefix + name
            + " is missing; expected " + allowed);
      }
      if (!valid.test(value)) {
        throw new IllegalArgumentException("experiment results " + source + ": " + prefix + name
            + " is " + value + "; expected " + allowed);
      }
      return value;
    }

    String text(String name) {
      return require(name, n -> n.isTextual() && !n.asText().isBlank(), "a non-empty string").asText();
    }

    double number(String name, DoublePredicate valid, String allowed) {
      return require(name, n -> n.isNumber() && valid.test(n.asDouble()), allowed).asDouble();
    }
  }
}
