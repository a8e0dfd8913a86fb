package io.sparkzero.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
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
  private static final long JOB_TIMEOUT_MS = 8 * 60_000;
  /** One rank's ring line, logged by every rank when its links connect. */
  private static final Pattern RING_LINE = Pattern.compile(
      "rank (\\d+) of (\\d+) on \\[([^|]+)\\|[^|]+\\|driver ([0-9a-f-]+)]: from rank (\\d+) over"
          + " (ipc|udp \\S+), to rank (\\d+) over (ipc|udp \\S+)");

  @TempDir
  Path dir;

  @Test
  void twoHostsTrainToTheParametersOfOneHost() throws Exception {
    String unavailable = SimulatedHosts.unavailableBecause();
    assumeTrue(unavailable == null, unavailable);

    Path reference = Files.createDirectories(dir.resolve("one-host"));
    StandaloneCluster.Submitted oneHost = StandaloneCluster.submit(reference,
        "local[" + WORLD + "]", "127.0.0.1", UnaryOperator.identity(), List.of(),
        List.of("train", writeJob(reference).toString()), JOB_TIMEOUT_MS);
    assertThat(oneHost.exitCode()).as("one-host run; stderr:\n%s", oneHost.stderr()).isZero();

    Path multi = Files.createDirectories(dir.resolve("two-hosts"));
    Path job = writeJob(multi);
    StandaloneCluster.Submitted twoHosts;
    List<Path> executorLogs;
    SimulatedHosts created;
    try {
      created = SimulatedHosts.create(HOSTS);
    } catch (IOException e) {
      assumeTrue(false, "this machine cannot create network namespaces joined by a bridge: "
          + e.getMessage());
      return;
    }
    try (SimulatedHosts hosts = created;
        StandaloneCluster cluster = StandaloneCluster.startMaster(multi,
            SimulatedHosts.HUB_ADDRESS, hosts::onHub)) {
      for (int host = 0; host < HOSTS; host++) {
        int h = host;
        cluster.startWorker(host, SimulatedHosts.address(host), RANKS_PER_HOST,
            command -> hosts.onHost(h, command), host + 1);
      }
      twoHosts = cluster.submit(SimulatedHosts.HUB_ADDRESS, hosts::onHub, List.of(
              "spark.executor.cores=1", "spark.executor.memory=1g", "spark.cores.max=" + WORLD,
              "spark.dynamicAllocation.enabled=false"),
          List.of("train", job.toString()), JOB_TIMEOUT_MS);
      executorLogs = cluster.executorLogs();
    }
    assertThat(twoHosts.exitCode()).as("two-host run; stderr:\n%s", twoHosts.stderr()).isZero();
    assertThat(twoHosts.stdout()).contains("epoch 2: test accuracy");

    assertThat(twoHosts.lastParamsHash()).as("final parameters, two hosts against one")
        .isNotNull().isEqualTo(oneHost.lastParamsHash());
    assertThat(Files.list(multi.resolve("ckpt")).map(p -> p.getFileName().toString()))
        .as("committed checkpoints of the two-host run").isNotEmpty();

    checkRing(executorLogs);
    System.out.printf("step loop, epoch 2: one host %s samples/s, two hosts %s samples/s%n",
        stepLoopRate(oneHost.stdout()), stepLoopRate(twoHosts.stdout()));
  }

  private static String stepLoopRate(String stdout) {
    Matcher m = Pattern.compile("epoch 2: loss \\S+, ([0-9.]+) samples/s in the step loop")
        .matcher(stdout);
    return m.find() ? m.group(1) : "?";
  }

  /**
   * Each rank bound its own host's address, and took shared memory exactly to the neighbours on
   * its own host's media driver (same driver id) and UDP to the others.
   */
  private static void checkRing(List<Path> executorLogs) throws IOException {
    Map<Integer, MatchResult> firstLine = new HashMap<>();
    for (Path log : executorLogs) {
      Matcher m = RING_LINE.matcher(Files.readString(log));
      while (m.find()) {
        firstLine.putIfAbsent(Integer.parseInt(m.group(1)), m.toMatchResult());
      }
    }
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

  private static Path writeJob(Path dir) throws IOException {
    Path job = dir.resolve("job.yaml");
    Files.writeString(job, String.join("\n",
        "job:",
        "  name: multi-host",
        "model: mlp",
        "data:",
        "  train: synthetic:n=4096,features=784,classes=10,seed=3",
        "  test: synthetic:n=512,features=784,classes=10,seed=3,start=4096",
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
        "collective:",
        "  ipc-term-bytes: 4194304",
        "  udp-term-bytes: 4194304",
        ""));
    return job;
  }
}
