package io.sparkzero.checkpoint;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The manifest as JSON. Unknown fields are ignored, so a later format can add fields that this one
 * skips; a change that older readers must refuse raises {@link Manifest#FORMAT_VERSION}.
 */
final class ManifestJson {
  private ManifestJson() {}

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  static byte[] toJson(Manifest manifest) {
    try {
      return MAPPER.writeValueAsBytes(manifest);
    } catch (JacksonException e) {
      throw new IllegalStateException("manifest of step " + manifest.step()
          + " does not serialise: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Parses and validates a manifest read from {@code file}; a manifest that does not parse, or
   * whose shards leave a gap or overlap, is a {@link CheckpointCorruptException} saying which.
   */
  static Manifest parse(byte[] json, String file) {
    try {
      return MAPPER.readValue(json, Manifest.class);
    } catch (JacksonException e) {
      Throwable cause = e.getCause();
      String problem = cause instanceof IllegalArgumentException
          ? cause.getMessage() : "does not parse as a manifest: " + e.getOriginalMessage();
      throw new CheckpointCorruptException(file, CheckpointCorruptException.WHOLE_FILE, problem, e);
    } catch (IOException e) {
      throw new UncheckedIOException("parsing the manifest " + file + ": " + e.getMessage(), e);
    }
  }
}
