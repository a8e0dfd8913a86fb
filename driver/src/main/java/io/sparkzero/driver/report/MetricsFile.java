package io.sparkzero.driver.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/** Reads a metrics file (docs/METRICS.md: one JSON object per line) from any Hadoop FileSystem. */
public final class MetricsFile {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private MetricsFile() {}

  /**
   * The file's lines, in order, each a JSON object with a text {@code kind}. Blank lines are
   * skipped. A last line without its newline that does not parse is skipped too: the run is still
   * writing it, and a report of a running job must not fail on it.
   *
   * @param uri any Hadoop FileSystem URI or a plain path
   * @throws MetricsFileException when the file is missing or unreadable, or a line is bad
   */
  public static List<ObjectNode> read(Configuration conf, String uri) {
    byte[] bytes;
    try {
      Path path = new Path(uri);
      try (InputStream in = path.getFileSystem(conf).open(path)) {
        bytes = in.readAllBytes();
      }
    } catch (FileNotFoundException e) {
      throw new MetricsFileException(uri, "not found; give the output.metrics URI of a run", e);
    } catch (IOException | IllegalArgumentException e) {
      throw new MetricsFileException(uri, "cannot read it: " + e.getMessage(), e);
    }
    return parse(uri, new String(bytes, StandardCharsets.UTF_8));
  }

  /** Parses the text of a metrics file; {@code uri} only names it in errors. */
  public static List<ObjectNode> parse(String uri, String text) {
    String[] lines = text.split("\n", -1);
    List<ObjectNode> out = new ArrayList<>(lines.length);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty()) {
        continue;
      }
      boolean unfinished = i == lines.length - 1;
      try {
        JsonNode node = MAPPER.readTree(line);
        if (!(node instanceof ObjectNode object) || !node.path("kind").isTextual()) {
          throw new MetricsFileException(uri, i + 1L,
              "expected a JSON object with a text \"kind\", found " + abbreviate(line));
        }
        out.add(object);
      } catch (JsonProcessingException e) {
        if (!unfinished) {
          throw new MetricsFileException(uri, i + 1L, "not valid JSON ("
              + e.getOriginalMessage().lines().findFirst().orElse("") + "): " + abbreviate(line));
        }
      }
    }
    return out;
  }

  private static String abbreviate(String line) {
    return line.length() <= 80 ? line : line.substring(0, 77) + "...";
  }
}
