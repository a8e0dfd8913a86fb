package io.sparkzero.driver.cli;

import io.sparkzero.driver.options.JobConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The job a command runs: a YAML job file and {@code --set} overrides, read into one validated
 * configuration. Shared by the commands that run a whole job ({@code train}, {@code prune}) as a
 * picocli mixin.
 */
final class JobFile {
  @Parameters(index = "0", arity = "0..1", paramLabel = "JOB.yaml", description = "Job file (YAML).")
  Path path;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one option (repeatable).")
  Map<String, String> overrides = new LinkedHashMap<>();

  /** The validated configuration: the file's options, then the overrides. */
  JobConfig config() {
    return JobConfig.load(path, overrides);
  }
}
