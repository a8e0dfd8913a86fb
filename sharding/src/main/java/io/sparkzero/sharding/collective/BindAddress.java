package io.sparkzero.sharding.collective;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The address one rank binds its UDP subscription to and advertises to its left neighbour, from
 * {@code collective.bind-host}. Each rank resolves it on its own host, so ranks on different hosts
 * advertise different addresses from one job setting:
 *
 * <ul>
 *   <li>{@code auto}: the address the cluster manager knows the rank's executor by (Spark's task
 *       address), or loopback when there is none (ranks as threads or processes of one host);
 *   <li>{@code if:NAME}: the IPv4 address of the network interface {@code NAME};
 *   <li>{@code A.B.C.D/N}: the IPv4 address of this host inside that network;
 *   <li>anything else: that address or host name, as given.
 * </ul>
 */
public final class BindAddress {
  /** The {@code collective.bind-host} value that takes the executor's own address. */
  public static final String AUTO = "auto";
  /** Prefix of an interface name in {@code collective.bind-host}. */
  public static final String INTERFACE_PREFIX = "if:";

  private static final Pattern CIDR =
      Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]+");
  private static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9._@:-]{1,15}");
  private static final String LOOPBACK = "127.0.0.1";

  private BindAddress() {}

  /** Whether {@code spec} is a form {@link #resolve} understands (checked before Spark starts). */
  public static boolean isValidSpec(String spec) {
    if (spec.equals(AUTO)) {
      return true;
    }
    if (spec.startsWith(INTERFACE_PREFIX)) {
      return INTERFACE.matcher(spec.substring(INTERFACE_PREFIX.length())).matches();
    }
    Matcher cidr = CIDR.matcher(spec);
    if (cidr.matches()) {
      for (int i = 1; i <= 4; i++) {
        if (Integer.parseInt(cidr.group(i)) > 255) {
          return false;
        }
      }
      return Integer.parseInt(cidr.group(5)) <= 32;
    }
    return HOST.matcher(spec).matches() && !spec.equals("0.0.0.0");
  }

  /**
   * The address to bind on this host.
   *
   * @param spec the {@code collective.bind-host} value
   * @param executorHost the host or address the cluster manager gave this rank's executor, or null
   *     when the ranks are not Spark tasks
   * @throws IllegalStateException when no interface of this host matches, naming those it has
   */
  public static String resolve(String spec, String executorHost) {
    if (spec.equals(AUTO)) {
      return executorHost == null || executorHost.isEmpty() ? LOOPBACK : executorHost;
    }
    if (spec.startsWith(INTERFACE_PREFIX)) {
      return byInterface(spec.substring(INTERFACE_PREFIX.length()));
    }
    Matcher cidr = CIDR.matcher(spec);
    if (cidr.matches()) {
      return byNetwork(spec, cidr);
    }
    return spec;
  }

  private static String byInterface(String name) {
    try {
      NetworkInterface nic = NetworkInterface.getByName(name);
      if (nic != null) {
        for (InterfaceAddress address : nic.getInterfaceAddresses()) {
          if (address.getAddress() instanceof Inet4Address) {
            return address.getAddress().getHostAddress();
          }
        }
      }
      throw new IllegalStateException(CollectiveOptionSpecs.BIND_HOST.key() + "=" + INTERFACE_PREFIX
          + name + ": this host has no interface " + name + " with an IPv4 address; it has "
          + addresses());
    } catch (SocketException e) {
      throw new IllegalStateException("cannot list the network interfaces of this host", e);
    }
  }

  private static String byNetwork(String spec, Matcher cidr) {
    int prefix = Integer.parseInt(cidr.group(5));
    int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
    int network = toInt(cidr) & mask;
    for (HostAddress address : addresses()) {
      if ((address.value() & mask) == network) {
        return address.text();
      }
    }
    throw new IllegalStateException(CollectiveOptionSpecs.BIND_HOST.key() + "=" + spec
        + ": no IPv4 address of this host is inside that network; it has " + addresses());
  }

  private static int toInt(Matcher cidr) {
    int value = 0;
    for (int i = 1; i <= 4; i++) {
      value = (value << 8) | Integer.parseInt(cidr.group(i));
    }
    return value;
  }

  /** One IPv4 address of this host: its interface, its text and its 32 bits. */
  private record HostAddress(String nic, Inet4Address address) {
    String text() {
      return address.getHostAddress();
    }

    int value() {
      return ByteBuffer.wrap(address.getAddress()).getInt();
    }

    @Override
    public String toString() { // as error messages list them
      return nic + "=" + text();
    }
  }

  /** This host's IPv4 addresses. */
  private static List<HostAddress> addresses() {
    List<HostAddress> found = new ArrayList<>();
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
          if (address instanceof Inet4Address v4) {
            found.add(new HostAddress(nic.getName(), v4));
          }
        }
      }
    } catch (SocketException e) {
      throw new IllegalStateException("cannot list the network interfaces of this host", e);
    }
    return found;
  }
}
