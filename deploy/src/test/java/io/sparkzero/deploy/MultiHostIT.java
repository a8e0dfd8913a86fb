package io.sparkzero.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * spark-zero on two hosts, as an operator runs it: a Spark standalone master, one worker per
 * host, and the job submitted with spark-submit from the application jar. The hosts are network,
 * mount and UTS namespaces of this machine ({@link SimulatedHosts}), so each has its own address,
 * /dev/shm and host name. Two ranks per host make the ring mix shared memory (ranks on one host)
 * and UDP (ranks on different hosts).
 */
class MultiHostIT {
  private static final int HOSTS = 2;
  private static final int RANKS_PER_HOST = 2;
  private static final int WORLD = HOSTS * RANKS_PER_HOST;
  /** Steps of each epoch: 64 x 256 examples (4 ranks x batch 64); checkpoints every 16. */
  private static final int STEPS_PER_EPOCH = 64;
  private static final long JOB_TIMEOUT_MS = 8 * 60_000;
  /** The collective timeout: twice the pause a rank must survive, and what a cut link costs. */
  private static final long TIMEOUT_MS = 30_000;
  /** One rank's ring line, logged by every rank when its links connect. */
  private static final Pattern RING_LINE = Pattern.compile(
      "rank (\\d+) of (\\d+) on \\[([^|]+)\\|[^|]+\\|driver ([0-9a-f-]+)]: from rank (\\d+) over"
          + " (ipc|udp \\S+), to rank (\\d+) over (ipc|udp \\S+)");

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) // a failed run keeps its driver and executor logs
  Path dir;

  /**
   * One job on two hosts, with the faults a cluster meets, in order:
   *
   * <ol>
   *   <li>all along, Aeron's loss-generating receive endpoints drop 5% of the data frames every
   *       executor's media driver reads;
   *   <li>in epoch 1, one rank's executor is stopped (SIGSTOP) for 15 s, half the collective
   *       timeout: training goes on;
   *   <li>in epoch 2, the second host's link is cut: the collectives fail within the timeout,
   *       naming the rank that did not answer; the link comes back, and the driver relaunches the
   *       epoch from the last checkpoint.
   * </ol>
   *
   * The job ends with the parameters of the same job run on one host without any fault, and its
   * ranks took shared memory exactly to the neighbours on their own host's media driver.
   */
  @Test
  void twoHostsTrainThroughLossAPauseAndACutLinkToTheParametersOfOneHost() throws Exception {
    int examples = STEPS_PER_EPOCH * 256; // long enough to act in the middle of an epoch
    StandaloneCluster.Submitted oneHost = oneHost(dir.resolve("one-host"), examples);
    String lossy = "spark.executor.extraJavaOptions="
        + "-Daeron.ReceiveChannelEndpoint.supplier=io.aeron.driver.ext.DebugReceiveChannelEndpointSupplier"
        + " -Daeron.debug.receive.data.loss.rate=0.05 -Daeron.debug.receive.data.loss.seed=7";
    Path twoHostDir = dir.resolve("two-hosts");
    long[] pausedMs = {0};
    long[] cutToFailureMs = {-1};
    TwoHostRun twoHosts = twoHosts(twoHostDir, examples, List.of(lossy), (cluster, hosts) -> {
      awaitRingLines(cluster, WORLD); // epoch 1 is training
      awaitCommitted(twoHostDir.resolve("ckpt"), 16); // and a quarter through
      ProcessHandle victim = cluster.executors(1).get(0);
      long start = System.nanoTime();
      SimulatedHosts.run("kill", "-STOP", String.valueOf(victim.pid()));
      Thread.sleep(15_000);
      SimulatedHosts.run("kill", "-CONT", String.valueOf(victim.pid()));
      pausedMs[0] = (System.nanoTime() - start) / 1_000_000;

      // Mid-epoch 2, right after its first checkpoint (global step 80 of 128): a quiet machine
      // trains the whole epoch in about 2 s, so a fixed wait could miss it.
      awaitCommitted(twoHostDir.resolve("ckpt"), STEPS_PER_EPOCH + 16);
      SimulatedHosts.run("ip", "-n", hosts.hub(), "link", "set", hosts.hubLink(1), "down");
      long cutAt = System.nanoTime();
      try {
        Path out = StandaloneCluster.driverOut(twoHostDir);
        while (!Files.readString(out).contains("restart 1 of")) {
          if (System.nanoTime() - cutAt > TimeUnit.MILLISECONDS.toNanos(3 * TIMEOUT_MS)) {
            throw new AssertionError("no relaunch within " + 3 * TIMEOUT_MS + " ms of the cut");
          }
          Thread.sleep(100);
        }
        cutToFailureMs[0] = (System.nanoTime() - cutAt) / 1_000_000;
      } finally {
        SimulatedHosts.run("ip", "-n", hosts.hub(), "link", "set", hosts.hubLink(1), "up");
      }
    });
    String stdout = twoHosts.submitted().stdout();

    assertThat(pausedMs[0]).as("a rank's executor was stopped for 15 s").isGreaterThanOrEqualTo(15_000);
    assertThat(stdout).as("the pause in epoch 1 cost no relaunch").doesNotContain("epoch 1 failed");
    Matcher failure = Pattern.compile("epoch 2 failed \\(.*rank (\\d+) did not answer within "
        + TIMEOUT_MS + " ms").matcher(stdout);
    assertThat(failure.find()).as("epoch 2's failure names the rank that did not answer:\n%s",
        stdout).isTrue();
    // Every rank waits on its left neighbour, so once the cut stalls the ring all of them time out
    // together; the first to report names its own left neighbour, which may be a rank on the
    // connected host that was itself waiting on the cut-off one.
    assertThat(Integer.parseInt(failure.group(1))).as("the rank named").isBetween(0, WORLD - 1);
    assertThat(cutToFailureMs[0]).as("ms from the cut to the relaunch")
        .isBetween(TIMEOUT_MS - 1_000, TIMEOUT_MS + 20_000);
    assertThat(stdout).contains("restart 1 of 3 from").contains("resumed training")
        .doesNotContain("restart 2 of");
    for (Path log : twoHosts.executorLogs()) {
      assertThat(Files.readString(log)).as("executor %s runs with the lossy endpoints", log)
          .contains("-Daeron.debug.receive.data.loss.rate=0.05");
    }
    assertThat(twoHosts.submitted().lastParamsHash())
        .as("final parameters, two hosts through the faults against one host")
        .isNotNull().isEqualTo(oneHost.lastParamsHash());
    checkRing(twoHosts.executorLogs());
  }

  /** The same job on one host: local[WORLD], spark-submit from the application jar. */
  private static StandaloneCluster.Submitted oneHost(Path dir, int examples) throws Exception {
    String unavailable = SimulatedHosts.unavailableBecause();
    assumeTrue(unavailable == null, unavailable);
    Files.createDirectories(dir);
    StandaloneCluster.Submitted run = StandaloneCluster.submit(dir, "local[" + WORLD + "]",
        "127.0.0.1", UnaryOperator.identity(), List.of(),
        List.of("train", writeJob(dir, examples).toString()), JOB_TIMEOUT_MS);
    assertThat(run.exitCode()).as("one-host run; stderr:\n%s", run.stderr()).isZero();
    return run;
  }

  /** What a fault injector does while the two-host job runs. */
  private interface DuringRun {
    void accept(StandaloneCluster cluster, SimulatedHosts hosts) throws Exception;
  }

  private record TwoHostRun(StandaloneCluster.Submitted submitted, List<Path> executorLogs) {}

  /**
   * The job on two simulated hosts, a worker each, {@code during} run beside it on its own
   * thread; asserts that the job succeeded.
   */
  private static TwoHostRun twoHosts(Path dir, int examples, List<String> extraConf,
      DuringRun during) throws Exception {
    Files.createDirectories(dir);
    Path job = writeJob(dir, examples);
    SimulatedHosts created;
    try {
      created = SimulatedHosts.create(HOSTS);
    } catch (IOException e) {
      assumeTrue(false, "this machine cannot create network namespaces joined by a bridge: "
          + e.getMessage());
      return null;
    }
    StandaloneCluster.Submitted submitted;
    List<Path> executorLogs;
    try (SimulatedHosts hosts = created;
        StandaloneCluster cluster = StandaloneCluster.startMaster(dir,
            SimulatedHosts.HUB_ADDRESS, hosts::onHub)) {
      for (int host = 0; host < HOSTS; host++) {
        int h = host;
        cluster.startWorker(host, SimulatedHosts.address(host), RANKS_PER_HOST,
            command -> hosts.onHost(h, command), host + 1);
      }
      List<String> conf = new ArrayList<>(List.of("spark.executor.cores=1",
          "spark.executor.memory=1g", "spark.cores.max=" + WORLD,
          "spark.dynamicAllocation.enabled=false"));
      conf.addAll(extraConf);
      Throwable[] duringFailure = {null};
      Thread injector = new Thread(() -> {
        try {
          during.accept(cluster, hosts);
        } catch (Throwable e) {
          duringFailure[0] = e;
        }
      }, "fault-injector");
      injector.start();
      submitted = cluster.submit(SimulatedHosts.HUB_ADDRESS, hosts::onHub, conf,
          List.of("train", job.toString()), JOB_TIMEOUT_MS);
      injector.join(60_000);
      executorLogs = cluster.executorLogs();
      if (duringFailure[0] != null) {
        throw new AssertionError("the fault injector failed", duringFailure[0]);
      }
    }
    assertThat(submitted.exitCode()).as("two-host run; stderr:\n%s", submitted.stderr()).isZero();
    assertThat(submitted.stdout()).contains("epoch 2: test accuracy");
    return new TwoHostRun(submitted, executorLogs);
  }

  /** Waits until the checkpoint of global step {@code step} under {@code checkpoints} is committed. */
  private static void awaitCommitted(Path checkpoints, long step) throws Exception {
    Path manifest = checkpoints.resolve(String.format("step-%012d", step)).resolve("manifest.json");
    long deadline = System.currentTimeMillis() + JOB_TIMEOUT_MS;
    while (!Files.exists(manifest)) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("no checkpoint " + manifest + " within " + JOB_TIMEOUT_MS + " ms");
      }
      Thread.sleep(5);
    }
  }

  /** Waits until the executors have logged {@code lines} ring lines (WORLD per epoch stage). */
  private static void awaitRingLines(StandaloneCluster cluster, int lines) throws Exception {
    long deadline = System.currentTimeMillis() + JOB_TIMEOUT_MS;
    while (System.currentTimeMillis() < deadline) {
      int found = 0;
      for (Path log : cluster.executorLogs()) {
        Matcher m = RING_LINE.matcher(Files.readString(log));
        while (m.find()) {
          found++;
        }
      }
      if (found >= lines && cluster.executors(1).size() == RANKS_PER_HOST) {
        Thread.sleep(1000);
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the executors never logged " + lines + " ring lines");
  }



  /**
   * Each rank bound its own host's address, and took shared memory exactly to the neighbours on
   * its own host's media driver (same driver id) and UDP to the others.
   */
  private static void checkRing(List<Path> executorLogs) throws IOException {
    Map<Integer, MatchResult> firstLine = firstRingLines(executorLogs);
    firstLine.values().forEach(m -> System.out.println(m.group()));
    assertThat(firstLine.keySet()).as("ring lines in the executors' logs %s", executorLogs)
        .containsExactlyInAnyOrder(0, 1, 2, 3);
    Map<Integer, String> driverOf = new HashMap<>();
    Map<Integer, String> hostOf = new HashMap<>();
    firstLine.forEach((rank, m) -> {
      driverOf.put(rank, m.group(4));
      hostOf.put(rank, m.group(3));
    });
    assertThat(new HashSet<>(hostOf.values())).as("host names seen by the ranks")
        .containsExactlyInAnyOrder(SimulatedHosts.hostName(0), SimulatedHosts.hostName(1));
    Set<String> drivers = new HashSet<>(driverOf.values());
    assertThat(drivers).as("one media driver per host").hasSize(HOSTS);
    for (Map.Entry<Integer, MatchResult> entry : firstLine.entrySet()) {
      int rank = entry.getKey();
      MatchResult m = entry.getValue();
      int left = Integer.parseInt(m.group(5));
      int right = Integer.parseInt(m.group(7));
      String inbound = m.group(6);
      String outbound = m.group(8);
      boolean leftLocal = driverOf.get(left).equals(driverOf.get(rank));
      boolean rightLocal = driverOf.get(right).equals(driverOf.get(rank));
      assertThat(inbound.equals("ipc")).as("rank %d from rank %d: %s", rank, left, inbound)
          .isEqualTo(leftLocal);
      assertThat(outbound.equals("ipc")).as("rank %d to rank %d: %s", rank, right, outbound)
          .isEqualTo(rightLocal);
      int host = hostOf.get(rank).equals(SimulatedHosts.hostName(0)) ? 0 : 1;
      if (!leftLocal) {
        assertThat(inbound).as("rank %d listens on its own host's address", rank)
            .startsWith("udp " + SimulatedHosts.address(host) + ":");
      }
      if (!rightLocal) {
        assertThat(outbound).as("rank %d sends to the other host's address", rank)
            .startsWith("udp " + SimulatedHosts.address(1 - host) + ":");
      }
    }
  }

  /** Each rank's first ring line (epoch 1's stage). */
  private static Map<Integer, MatchResult> firstRingLines(List<Path> executorLogs)
      throws IOException {
    Map<Integer, MatchResult> firstLine = new HashMap<>();
    for (Path log : executorLogs) {
      Matcher m = RING_LINE.matcher(Files.readString(log));
      while (m.find()) {
        firstLine.putIfAbsent(Integer.parseInt(m.group(1)), m.toMatchResult());
      }
    }
    return firstLine;
  }



  private static Path writeJob(Path dir, int examples) throws IOException {
    Path job = dir.resolve("job.yaml");
    Files.writeString(job, String.join("\n",
        "job:",
        "  name: multi-host",
        "model: mlp",
        "data:",
        "  train: synthetic:n=" + examples + ",features=784,classes=10,seed=3",
        "  test: synthetic:n=512,features=784,classes=10,seed=3,start=" + examples,
        "train:",
        "  world-size: " + WORLD,
        "  batch-size: 64",
        "  epochs: 2",
        "  seed: 1",
        "  nd4j-threads: 1",
        "zero:",
        "  stage: 3",
        "optimizer:",
        "  name: adam",
        "  lr: 0.001",
        "checkpoint:",
        "  path: " + dir.resolve("ckpt").toUri(),
        "  every-steps: 16",
        "collective:",
        "  timeout-ms: " + TIMEOUT_MS,
        "  ipc-term-bytes: 4194304",
        "  udp-term-bytes: 4194304",
        ""));
    return job;
  }
}
