package io.sparkzero.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Hosts simulated on this machine with Linux namespaces, for tests that need a real network
 * between ranks. A hub network namespace holds a bridge (and the Spark master and driver, at
 * {@link #HUB_ADDRESS}); each host is its own network namespace joined to the bridge by a veth
 * pair, with its own address. Processes started on a host also get their own mount namespace with
 * a fresh /dev/shm, and their own UTS namespace with the host's name, so nothing of Aeron's shared
 * memory or host name is shared between hosts. All addresses are private and live only inside the
 * namespaces, which {@link #close} removes with everything in them.
 */
final class SimulatedHosts implements AutoCloseable {
  /** The hub's address on the bridge: where the master and the driver listen. */
  static final String HUB_ADDRESS = "10.77.0.1";
  private static final String PREFIX_LENGTH = "/24";

  private final String tag;
  private final int count;

  private SimulatedHosts(String tag, int count) {
    this.tag = tag;
    this.count = count;
  }

  /**
   * Why these tests cannot run here, or null when they can: namespaces need root, {@code ip} and
   * {@code unshare}.
   */
  static String unavailableBecause() {
    if (!"root".equals(System.getProperty("user.name"))) {
      return "simulating hosts needs root (network, mount and UTS namespaces); this runs as "
          + System.getProperty("user.name");
    }
    for (String tool : List.of("/usr/sbin/ip", "/usr/bin/unshare", "/usr/bin/mount")) {
      if (!Files.isExecutable(Path.of(tool))) {
        return "simulating hosts needs " + tool + " (iproute2, util-linux), which is missing";
      }
    }
    return null;
  }

  /** Creates the hub and {@code count} hosts, named after this JVM's pid so runs never collide. */
  static SimulatedHosts create(int count) throws IOException, InterruptedException {
    SimulatedHosts hosts = new SimulatedHosts("sz" + ProcessHandle.current().pid(), count);
    try {
      hosts.build();
      return hosts;
    } catch (IOException | InterruptedException | RuntimeException e) {
      hosts.close();
      throw e;
    }
  }

  private void build() throws IOException, InterruptedException {
    run("ip", "netns", "add", hub());
    run("ip", "-n", hub(), "link", "set", "lo", "up");
    run("ip", "-n", hub(), "link", "add", "br0", "type", "bridge");
    run("ip", "-n", hub(), "addr", "add", HUB_ADDRESS + PREFIX_LENGTH, "dev", "br0");
    run("ip", "-n", hub(), "link", "set", "br0", "up");
    for (int host = 0; host < count; host++) {
      String ns = namespace(host);
      String veth = "v" + host + tag;
      run("ip", "netns", "add", ns);
      run("ip", "-n", ns, "link", "set", "lo", "up");
      run("ip", "link", "add", veth, "netns", hub(), "type", "veth", "peer", "name", "eth0",
          "netns", ns);
      run("ip", "-n", hub(), "link", "set", veth, "master", "br0");
      run("ip", "-n", hub(), "link", "set", veth, "up");
      run("ip", "-n", ns, "addr", "add", address(host) + PREFIX_LENGTH, "dev", "eth0");
      run("ip", "-n", ns, "link", "set", "eth0", "up");
    }
  }

  /** Host {@code host}'s address on the bridge. */
  static String address(int host) {
    return "10.77.0." + (11 + host);
  }

  /** Host {@code host}'s host name (its UTS namespace). */
  static String hostName(int host) {
    return "simhost" + (host + 1);
  }

  /** The network namespace of host {@code host}. */
  String namespace(int host) {
    return "h" + host + tag;
  }

  /** The veth end, in the hub, of host {@code host}'s link: set it down to cut the host off. */
  String hubLink(int host) {
    return "v" + host + tag;
  }

  /** The hub's network namespace. */
  String hub() {
    return "hub" + tag;
  }

  /** {@code command} as run on host {@code host}: its network, a fresh /dev/shm and its name. */
  List<String> onHost(int host, List<String> command) {
    return inNamespace(namespace(host), hostName(host), command);
  }

  /** {@code command} as run on the hub, where the master and the driver live. */
  List<String> onHub(List<String> command) {
    return inNamespace(hub(), "simhub", command);
  }

  private static List<String> inNamespace(String ns, String name, List<String> command) {
    List<String> wrapped = new ArrayList<>(List.of("ip", "netns", "exec", ns,
        "unshare", "--mount", "--uts", "--propagation", "private", "sh", "-c",
        "mount -t tmpfs -o size=2g,mode=1777 tmpfs /dev/shm && hostname " + name
            + " && exec \"$@\"", "sh"));
    wrapped.addAll(command);
    return wrapped;
  }

  /** Runs {@code ip ...} (or any short command) on this machine and fails on a non-zero exit. */
  static void run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + output.strip());
    }
  }

  /** Removes the namespaces; their veth pairs and bridge go with them. */
  @Override
  public void close() {
    for (int host = 0; host < count; host++) {
      deleteQuietly(namespace(host));
    }
    deleteQuietly(hub());
  }

  private static void deleteQuietly(String ns) {
    try {
      new ProcessBuilder("ip", "netns", "del", ns).redirectErrorStream(true).start()
          .waitFor(30, TimeUnit.SECONDS);
    } catch (IOException e) {
      // nothing was created under this name
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
