package io.sparkzero.driver.data;

import io.sparkzero.driver.data.DataSpec.Format;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/** Parses the one-string form of a {@link DataSpec}; see {@link DataSpec#parse(String)}. */
final class DataSpecParser {

  /** Most classes a spec may declare. */
  static final int MAX_CLASSES = 1 << 20;
  /** Most features per example a spec may declare: a 4096 x 4096 image. */
  static final int MAX_FEATURES = 1 << 24;

  static final String SYNTAX = "[idx:]<images-uri>[,labels=<uri>|none][,classes=N]"
      + " | [parquet:]<uri>[,classes=N][,features=N]"
      + " | synthetic:n=N[,features=784][,classes=10][,seed=0][,noise=0.3][,start=0]";

  private static final Set<String> IDX_KEYS = Set.of("labels", "classes");
  private static final Set<String> PARQUET_KEYS = Set.of("classes", "features");
  private static final Set<String> SYNTHETIC_KEYS =
      Set.of("n", "features", "classes", "seed", "noise", "start");

  private DataSpecParser() {}

  static DataSpec parse(String text) {
    if (text == null || text.isBlank()) {
      throw failure(text, "it is empty");
    }
    String trimmed = text.trim();
    Format format = prefixFormat(trimmed);
    String body = format == null ? trimmed : trimmed.substring(trimmed.indexOf(':') + 1);
    String[] parts = body.split(",", -1);
    if (format == null) {
      format = guessFormat(text, parts[0]);
    }
    try {
      switch (format) {
        case IDX:
          return idx(text, parts);
        case PARQUET:
          return parquet(text, parts);
        default:
          return synthetic(text, parts);
      }
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("data spec '")) {
        throw e;
      }
      throw failure(text, e.getMessage());
    }
  }

  private static IdxSpec idx(String text, String[] parts) {
    Map<String, String> options = options(text, parts, 1, IDX_KEYS);
    String images = parts[0].trim();
    requireUri(images, "images");
    String labels = options.containsKey("labels")
        ? options.get("labels")
        : IdxSpec.labelsUriFor(images);
    return new IdxSpec(images, labels, classes(text, options));
  }

  private static ParquetSpec parquet(String text, String[] parts) {
    Map<String, String> options = options(text, parts, 1, PARQUET_KEYS);
    OptionalInt features = options.containsKey("features")
        ? OptionalInt.of(integer(text, "features", options.get("features")))
        : OptionalInt.empty();
    return new ParquetSpec(parts[0].trim(), classes(text, options), features);
  }

  private static SyntheticSpec synthetic(String text, String[] parts) {
    Map<String, String> options = options(text, parts, 0, SYNTHETIC_KEYS);
    if (!options.containsKey("n")) {
      throw failure(text, "synthetic data needs n=<number of examples>");
    }
    long count = longValue(text, "n", options.get("n"));
    int features = options.containsKey("features")
        ? integer(text, "features", options.get("features"))
        : SyntheticSpec.DEFAULT_NUM_FEATURES;
    long seed = options.containsKey("seed") ? longValue(text, "seed", options.get("seed")) : 0L;
    double noise = options.containsKey("noise")
        ? decimal(text, "noise", options.get("noise"))
        : SyntheticSpec.DEFAULT_NOISE;
    long start = options.containsKey("start") ? longValue(text, "start", options.get("start")) : 0;
    return new SyntheticSpec(count, features, classes(text, options), seed, noise, start);
  }

  private static Format prefixFormat(String text) {
    int colon = text.indexOf(':');
    if (colon < 0) {
      return null;
    }
    String prefix = text.substring(0, colon).toLowerCase(Locale.ROOT);
    for (Format format : Format.values()) {
      if (format.name().toLowerCase(Locale.ROOT).equals(prefix)) {
        return format;
      }
    }
    return null;
  }

  private static Format guessFormat(String text, String uri) {
    String path = uri.trim().replaceAll("/+$", "").toLowerCase(Locale.ROOT);
    if (path.endsWith(".parquet")) {
      return Format.PARQUET;
    }
    if (path.endsWith("idx3-ubyte") || path.endsWith("idx3-ubyte.gz")) {
      return Format.IDX;
    }
    throw failure(text, "cannot tell the format from the name; start it with idx:, parquet: or"
        + " synthetic: (e.g. idx:/data/train-images-idx3-ubyte.gz)");
  }

  /** Parses {@code key=value} parts from {@code first} on, refusing unknown and repeated keys. */
  private static Map<String, String> options(String text, String[] parts, int first,
      Set<String> allowed) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = first; i < parts.length; i++) {
      String part = parts[i].trim();
      int eq = part.indexOf('=');
      if (eq <= 0 || eq == part.length() - 1) {
        throw failure(text, "'" + part + "' is not key=value (keys allowed here: "
            + String.join(", ", sorted(allowed)) + ")");
      }
      String key = part.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      if (!allowed.contains(key)) {
        throw failure(text, "unknown key '" + key + "'; keys allowed here: "
            + String.join(", ", sorted(allowed)));
      }
      if (options.put(key, part.substring(eq + 1).trim()) != null) {
        throw failure(text, "key '" + key + "' is given twice");
      }
    }
    return options;
  }

  private static int classes(String text, Map<String, String> options) {
    return options.containsKey("classes")
        ? integer(text, "classes", options.get("classes"))
        : DataSpec.DEFAULT_NUM_CLASSES;
  }

  private static int integer(String text, String key, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw failure(text, key + "='" + value + "' is not a whole number");
    }
  }

  private static long longValue(String text, String key, String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw failure(text, key + "='" + value + "' is not a whole number");
    }
  }

  private static double decimal(String text, String key, String value) {
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw failure(text, key + "='" + value + "' is not a number");
    }
  }

  private static String[] sorted(Set<String> keys) {
    return keys.stream().sorted().toArray(String[]::new);
  }

  private static IllegalArgumentException failure(String text, String problem) {
    return new IllegalArgumentException(
        "data spec '" + text + "': " + problem + "; syntax: " + SYNTAX);
  }

  static void requireUri(String uri, String what) {
    if (uri == null || uri.isBlank()) {
      throw new IllegalArgumentException("the " + what + " URI is empty");
    }
  }

  static void requireClasses(int numClasses) {
    if (numClasses < 2 || numClasses > MAX_CLASSES) {
      throw new IllegalArgumentException(
          "classes = " + numClasses + " must lie in [2, " + MAX_CLASSES + "]");
    }
  }

  static void requireFeatures(int numFeatures) {
    if (numFeatures < 1 || numFeatures > MAX_FEATURES) {
      throw new IllegalArgumentException(
          "features = " + numFeatures + " must lie in [1, " + MAX_FEATURES + "]");
    }
  }
}
