package io.sparkzero.driver.cli;

import io.sparkzero.driver.spark.ConsoleLogging;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code spark-zero} command line as its own process: this JVM's java, class path and
 * add-opens flags, and the shipped logging configuration found by its resource name, so that
 * what a user's console would show is what a test sees.
 */
final class CliProcess {
  private CliProcess() {}

  /** The java command that runs the CLI with {@code args}. */
  static List<String> command(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens") || a.startsWith("-Djava.net.")).toList());
    command.add("-Dlog4j2.configurationFile=" + ConsoleLogging.CONFIG_RESOURCE);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(SparkZeroCli.class.getName());
    command.addAll(List.of(args));
    return command;
  }

  /** Runs {@code command} in {@code dir}, its output in files (no pipe to fill while it runs). */
  static CliErrorsIT.Run run(Path dir, List<String> command)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile(dir, "stdout", ".txt");
    Path err = Files.createTempFile(dir, "stderr", ".txt");
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    builder.environment().put("OMP_NUM_THREADS", "1");
    Process process = builder.start();
    if (!process.waitFor(3, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("the CLI did not end within 3 minutes: " + command);
    }
    return new CliErrorsIT.Run(process.exitValue(), Files.readAllLines(out),
        Files.readAllLines(err), Files.readString(out));
  }
}
