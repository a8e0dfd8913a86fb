package io.sparkzero.driver.options;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.sparkzero.pruning.PruningOptionSpecs;
import io.sparkzero.sharding.collective.CollectiveOptionSpecs;
import io.sparkzero.sharding.collective.CollectiveOptions;
import io.sparkzero.sharding.options.ConfigException;
import io.sparkzero.sharding.options.OptionSpec;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A validated job configuration: every known option with its typed value (given or default), plus
 * pass-through Spark settings. Built from a YAML job file (nested maps flatten to dotted keys) and
 * {@code key=value} overrides; every key and value is checked here, before Spark starts.
 */
public final class JobConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * Every typed option a job file may set: the job's own, then the data-pruning module's
   * ({@code pruning.*}, read by {@code prune}; {@code train} does not prune yet).
   */
  public static final List<OptionSpec<?>> OPTIONS =
      Stream.concat(JobOptions.ALL.stream(), PruningOptionSpecs.ALL.stream()).toList();

  private final Map<String, Object> values;
  private final Map<String, String> sparkConf;
  private final Map<String, String> collective;

  private JobConfig(Map<String, Object> values, Map<String, String> sparkConf,
      Map<String, String> collective) {
    this.values = values;
    this.sparkConf = sparkConf;
    this.collective = collective;
  }

  /** Reads a YAML job file, then applies the overrides. */
  public static JobConfig load(Path yamlFile, Map<String, String> overrides) {
    Map<String, Object> raw = new LinkedHashMap<>();
    if (yamlFile != null) {
      if (!Files.isRegularFile(yamlFile)) {
        throw new ConfigException("job file", "'" + yamlFile + "' does not exist or is not a file");
      }
      Object tree;
      try {
        tree = new ObjectMapper(new YAMLFactory()).readValue(yamlFile.toFile(), Object.class);
      } catch (IOException e) {
        throw new ConfigException("job file", "'" + yamlFile + "' is not valid YAML: " + e.getMessage());
      }
      if (tree != null && !(tree instanceof Map)) {
        throw new ConfigException("job file", "'" + yamlFile + "' must be a YAML mapping of options");
      }
      if (tree != null) {
        flatten("", (Map<?, ?>) tree, raw);
      }
    }
    raw.putAll(overrides);
    return of(raw);
  }

  /** Validates a flat map of raw values (strings, numbers, booleans) into a configuration. */
  public static JobConfig of(Map<String, ?> raw) {
    Map<String, OptionSpec<?>> specs = new LinkedHashMap<>();
    for (OptionSpec<?> s : OPTIONS) {
      specs.put(s.key(), s);
    }
    Map<String, Object> values = new TreeMap<>();
    Map<String, String> sparkConf = new TreeMap<>();
    Map<String, String> collective = new TreeMap<>();
    for (Map.Entry<String, ?> e : raw.entrySet()) {
      String key = e.getKey();
      if (key.startsWith(CollectiveOptionSpecs.PREFIX)) {
        collective.put(key, String.valueOf(e.getValue()));
        continue;
      }
      if (key.startsWith(JobOptions.SPARK_CONF_PREFIX)) {
        sparkConf.put(key.substring(JobOptions.SPARK_CONF_PREFIX.length()), String.valueOf(e.getValue()));
        continue;
      }
      OptionSpec<?> spec = specs.get(key);
      if (spec == null) {
        throw new ConfigException(key, "unknown option" + suggestion(key, specs.keySet())
            + "; known options are listed by 'spark-zero options'");
      }
      values.put(key, spec.parse(e.getValue()));
    }
    for (OptionSpec<?> s : OPTIONS) {
      values.putIfAbsent(s.key(), s.defaultValue());
    }
    // Each entry parsed with its spec, then the checks that relate two collective options.
    CollectiveOptions.fromMap(1L, collective);
    return new JobConfig(values, sparkConf, collective);
  }

  /** The {@code collective.*} entries as given (defaults are applied by CollectiveOptions). */
  public Map<String, String> collectiveEntries() {
    return Collections.unmodifiableMap(collective);
  }

  /** The typed value of an option. */
  public <T> T get(OptionSpec<T> option) {
    return option.type().cast(values.get(option.key()));
  }

  /** A copy with one more override applied (validated), a job option or a collective one. */
  public JobConfig with(OptionSpec<?> option, Object value) {
    Map<String, Object> raw = new LinkedHashMap<>(values);
    sparkConf.forEach((k, v) -> raw.put(JobOptions.SPARK_CONF_PREFIX + k, v));
    raw.putAll(collective);
    raw.put(option.key(), value);
    return of(raw);
  }

  /** Settings passed to Spark as they are. */
  public Map<String, String> sparkConf() {
    return Collections.unmodifiableMap(sparkConf);
  }

  private static void flatten(String prefix, Map<?, ?> map, Map<String, Object> out) {
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = prefix + e.getKey();
      if (e.getValue() instanceof Map<?, ?> nested && !key.equals("spark-conf")) {
        flatten(key + ".", nested, out);
      } else if (e.getValue() instanceof Map<?, ?> nested) {
        nested.forEach((k, v) -> out.put("spark-conf." + k, v));
      } else {
        out.put(key, e.getValue());
      }
    }
  }

  private static String suggestion(String key, Iterable<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : known) {
      int d = editDistance(key, k);
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    return best != null && bestDistance <= Math.max(2, key.length() / 3) ? " (did you mean '" + best + "'?)" : "";
  }

  private static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /** The options as given or defaulted, for logs. */
  public List<String> describe() {
    return entries().entrySet().stream().map(e -> e.getKey() + " = " + e.getValue()).toList();
  }

  /**
   * Every option's value as text, defaults included, by key: job options, collective options as
   * given, and {@code spark-conf.*} settings. The values of keys that look like secrets (as
   * Spark's default {@code spark.redaction.regex} matches them) are hidden: these go to logs,
   * metrics files and reports.
   */
  public Map<String, String> entries() {
    Map<String, String> shown = new TreeMap<>(collective);
    for (OptionSpec<?> s : OPTIONS) {
      shown.put(s.key(), s.show(values.get(s.key())));
    }
    sparkConf.forEach((k, v) -> shown.put(JobOptions.SPARK_CONF_PREFIX + k, v));
    shown.replaceAll((k, v) -> SECRET_KEY.matcher(k).find() ? "*(redacted)*" : v);
    return shown;
  }

  private static final java.util.regex.Pattern SECRET_KEY =
      java.util.regex.Pattern.compile("(?i)secret|password|token|access[.]?key|credential");
}
