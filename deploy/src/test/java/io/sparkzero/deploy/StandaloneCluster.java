package io.sparkzero.deploy;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Spark standalone cluster run from a Spark installation (deploy's {@code target/spark-dist}:
 * Spark's own jars and nothing of spark-zero), and jobs submitted to it with {@code
 * spark-submit}'s main class and the application jar, as an operator would. Every process runs
 * through a placement function, so the same class runs a cluster on loopback or on {@link
 * SimulatedHosts}.
 */
final class StandaloneCluster implements AutoCloseable {
  static final int MASTER_PORT = 7077;
  private static final long START_TIMEOUT_MS = 90_000;

  private final Path dir;
  private final List<Process> processes = new ArrayList<>();
  private final Path masterLog;
  private final String masterAddress;

  private StandaloneCluster(Path dir, String masterAddress) {
    this.dir = dir;
    this.masterAddress = masterAddress;
    this.masterLog = dir.resolve("master.log");
  }

  /** The Spark installation the cluster runs from (jars/ and RELEASE). */
  static Path sparkHome() throws IOException {
    Path home = Path.of(System.getProperty("sparkzero.sparkDist", "target/spark-dist"));
    if (!Files.isDirectory(home.resolve("jars"))) {
      throw new IllegalStateException(home + "/jars is missing: run mvn package in deploy first");
    }
    if (!Files.exists(home.resolve("RELEASE"))) {
      Files.createFile(home.resolve("RELEASE")); // marks a binary distribution for the launcher
    }
    return home.toAbsolutePath();
  }

  /** The application jar under test. */
  static Path appJar() {
    Path jar = Path.of(System.getProperty("sparkzero.appJar", "target/app.jar")).toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: run mvn package in deploy first");
    }
    return jar;
  }

  /**
   * Starts a master at {@code masterAddress}, placed by {@code onMaster}, and waits until it leads.
   */
  static StandaloneCluster startMaster(Path dir, String masterAddress,
      UnaryOperator<List<String>> onMaster) throws IOException, InterruptedException {
    StandaloneCluster cluster = new StandaloneCluster(dir, masterAddress);
    try {
      cluster.start(onMaster.apply(cluster.java("org.apache.spark.deploy.master.Master",
          "--host", masterAddress, "--port", String.valueOf(MASTER_PORT), "--webui-port", "0")),
          masterAddress, cluster.masterLog);
      cluster.awaitLog(cluster.masterLog, "I have been elected leader", 1);
      return cluster;
    } catch (IOException | InterruptedException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /**
   * Starts a worker with {@code cores} cores bound to {@code address}, placed by {@code onHost},
   * and waits until the master has registered {@code expectedWorkers} workers in all.
   */
  void startWorker(int index, String address, int cores, UnaryOperator<List<String>> onHost,
      int expectedWorkers) throws IOException, InterruptedException {
    Path work = Files.createDirectories(dir.resolve("worker" + index));
    start(onHost.apply(java("org.apache.spark.deploy.worker.Worker", "--host", address,
        "--cores", String.valueOf(cores), "--memory", "6g", "--webui-port", "0",
        "--work-dir", work.toString(), masterUrl())), address, dir.resolve("worker" + index + ".log"));
    awaitLog(masterLog, "Registering worker", expectedWorkers);
  }

  /** The executor JVMs that worker {@code index} (in start order) runs now. */
  List<ProcessHandle> executors(int index) {
    return processes.get(1 + index).descendants()
        .filter(p -> p.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
        .toList();
  }

  String masterUrl() {
    return "spark://" + masterAddress + ":" + MASTER_PORT;
  }

  /** Every executor's stderr under every worker's work directory. */
  List<Path> executorLogs() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(f -> f.getFileName().toString().equals("stderr")).sorted().toList();
    }
  }

  /**
   * Submits {@code appArgs} to the application jar's main class in client mode, placed by {@code
   * onDriver}, with the driver at {@code driverAddress}, and waits for it to end.
   */
  Submitted submit(String driverAddress, UnaryOperator<List<String>> onDriver, List<String> conf,
      List<String> appArgs, long timeoutMs) throws IOException, InterruptedException {
    return submit(dir, masterUrl(), driverAddress, onDriver, conf, appArgs, timeoutMs);
  }

  /** As {@link #submit(String, UnaryOperator, List, List, long)}, to any master URL. */
  static Submitted submit(Path dir, String master, String driverAddress,
      UnaryOperator<List<String>> onDriver, List<String> conf, List<String> appArgs,
      long timeoutMs) throws IOException, InterruptedException {
    // No --add-opens for the executors: Spark adds the ones it needs on Java 17 itself, and
    // spark-zero needs no others, as the README's spark-submit lines say.
    List<String> args = new ArrayList<>(List.of("--master", master, "--deploy-mode", "client",
        "--conf", "spark.driver.host=" + driverAddress,
        "--conf", "spark.driver.bindAddress=" + driverAddress));
    for (String setting : conf) {
      args.add("--conf");
      args.add(setting);
    }
    args.add(appJar().toString());
    args.addAll(appArgs);
    List<String> command = javaCommand("org.apache.spark.deploy.SparkSubmit", args);
    Path out = driverOut(dir);
    Path err = dir.resolve("driver.err");
    ProcessBuilder builder = new ProcessBuilder(onDriver.apply(command))
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    environment(builder.environment(), driverAddress);
    Process process = builder.start();
    try {
      if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
        throw new AssertionError("spark-submit did not end within " + timeoutMs + " ms; stderr:\n"
            + tail(err));
      }
    } finally {
      destroyTree(process);
    }
    return new Submitted(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  /** Where {@link #submit} writes the driver's stdout while it runs (the job's console lines). */
  static Path driverOut(Path dir) {
    return dir.resolve("driver.out");
  }

  /** A finished spark-submit: its exit code and its output. */
  record Submitted(int exitCode, String stdout, String stderr) {
    private static final Pattern PARAMS = Pattern.compile("params ([0-9a-f]{16}) on all");

    /** The last "params HASH on all N ranks" the job printed. */
    String lastParamsHash() {
      String hash = null;
      Matcher m = PARAMS.matcher(stdout);
      while (m.find()) {
        hash = m.group(1);
      }
      return hash;
    }
  }

  private List<String> java(String mainClass, String... args) throws IOException {
    return javaCommand(mainClass, List.of(args));
  }

  private static List<String> javaCommand(String mainClass, List<String> args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    command.addAll(javaFlags());
    command.add("-cp");
    command.add(sparkHome().resolve("jars") + "/*");
    command.add(mainClass);
    command.addAll(args);
    return command;
  }

  /** This JVM's add-opens flags (which Spark needs on Java 17) and its IPv4 preference. */
  private static List<String> javaFlags() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens") || a.startsWith("-Djava.net.")).toList();
  }

  private static void environment(Map<String, String> env, String localIp) throws IOException {
    env.put("SPARK_HOME", sparkHome().toString());
    env.put("SPARK_SCALA_VERSION", "2.13");
    env.put("SPARK_LOCAL_IP", localIp);
    env.put("OMP_NUM_THREADS", "1");
    env.remove("SPARK_CONF_DIR");
  }

  private void start(List<String> command, String localIp, Path log) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    environment(builder.environment(), localIp);
    processes.add(builder.start());
  }

  private void awaitLog(Path log, String line, int times)
      throws IOException, InterruptedException {
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
    while (System.currentTimeMillis() < deadline) {
      if (Files.exists(log) && Files.readString(log).split(line, -1).length - 1 >= times) {
        return;
      }
      for (Process process : processes) {
        if (!process.isAlive()) {
          throw new IllegalStateException("a cluster process ended (exit " + process.exitValue()
              + ") while waiting for '" + line + "' in " + log + ":\n" + tail(log));
        }
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("no '" + line + "' (x" + times + ") in " + log + " within "
        + START_TIMEOUT_MS + " ms:\n" + tail(log));
  }

  private static String tail(Path file) throws IOException {
    if (!Files.exists(file)) {
      return "(no " + file + ")";
    }
    String text = Files.readString(file);
    return text.substring(Math.max(0, text.length() - 4000));
  }

  private static void destroyTree(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  /** Stops the workers (and their executors) and the master. */
  @Override
  public void close() throws InterruptedException {
    for (int i = processes.size() - 1; i >= 0; i--) {
      Process process = processes.get(i);
      destroyTree(process);
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
