package io.sparkzero.driver.train;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a barrier stage's ranks meet, on the driver: each rank sends its address record and gets
 * every rank's back once all have arrived, over one TCP connection (PyTorch's TCP store plays this
 * part). Spark's own {@code BarrierTaskContext.allGather} does the same through the driver's RPC,
 * but a rank learns that the gathering is complete only at its next check, once a second, so every
 * epoch paid up to a second, and the ranks left the barrier up to a second apart.
 *
 * <p>A gathering is named by the job, the stage, its attempt and the call; it completes when its
 * world size of ranks have arrived, or fails for all of them when one has waited {@code timeoutMs}
 * (naming the ranks that never came). Requests and replies carry an HMAC tag under the job's key.
 */
final class RendezvousServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RendezvousServer.class);
  /** How long a connection may take to send its request. */
  private static final int REQUEST_TIMEOUT_MS = 30_000;

  private final ServerSocket socket;
  private final RendezvousWire wire;
  private final long timeoutMs;
  private final Address address;
  private final ExecutorService handlers;
  private final Map<String, Gathering> gatherings = new ConcurrentHashMap<>();
  private final Thread acceptor;
  private volatile boolean closed;

  /** Where the ranks reach the server. */
  record Address(String host, int port) implements Serializable {
    @Override
    public String toString() {
      return host + ":" + port;
    }
  }

  private RendezvousServer(ServerSocket socket, byte[] key, long timeoutMs, String host) {
    this.socket = socket;
    this.wire = new RendezvousWire(key);
    this.timeoutMs = timeoutMs;
    this.address = new Address(host, socket.getLocalPort());
    this.handlers = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "spark-zero-rendezvous");
      t.setDaemon(true);
      return t;
    });
    this.acceptor = new Thread(this::accept, "spark-zero-rendezvous-accept");
    acceptor.setDaemon(true);
  }

  /**
   * Listens on an ephemeral port of {@code bindHost}.
   *
   * @param advertisedHost the address the ranks connect to (the driver's, as Spark tells them)
   * @param timeoutMs how long the first rank of a gathering waits for the last
   */
  static RendezvousServer start(String bindHost, String advertisedHost, byte[] key,
      long timeoutMs) {
    try {
      ServerSocket socket = new ServerSocket(0, 256, InetAddress.getByName(bindHost));
      RendezvousServer server = new RendezvousServer(socket, key, timeoutMs, advertisedHost);
      server.acceptor.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("the ranks' rendezvous cannot listen on " + bindHost + ": "
          + e.getMessage() + "; set train.rendezvous=spark to meet through Spark's barrier", e);
    }
  }

  Address address() {
    return address;
  }

  private void accept() {
    while (!closed) {
      try {
        Socket connection = socket.accept();
        handlers.execute(() -> serve(connection));
      } catch (IOException e) {
        if (!closed) {
          LOG.warn("rendezvous: accepting a connection failed: {}", e.getMessage());
        }
      }
    }
  }

  private void serve(Socket connection) {
    try (connection) {
      connection.setTcpNoDelay(true);
      connection.setSoTimeout(REQUEST_TIMEOUT_MS);
      DataInputStream in = new DataInputStream(new BufferedInputStream(connection.getInputStream()));
      DataOutputStream out =
          new DataOutputStream(new BufferedOutputStream(connection.getOutputStream()));
      if (in.readInt() != RendezvousWire.MAGIC) {
        return; // not a rank: nothing to answer
      }
      String name = RendezvousWire.readString(in);
      int rank = in.readInt();
      int worldSize = in.readInt();
      String message = RendezvousWire.readString(in);
      byte[] tag = RendezvousWire.readTag(in);
      String[] all;
      try {
        if (!RendezvousWire.matches(wire.requestTag(name, rank, worldSize, message), tag)) {
          throw new IllegalStateException("rank " + rank + "'s request to " + name + " from "
              + connection.getRemoteSocketAddress() + " carries a wrong tag: it is not from this"
              + " job");
        }
        all = gathering(name, worldSize).arrive(rank, worldSize, message, timeoutMs);
      } catch (IllegalStateException | IllegalArgumentException e) {
        out.writeInt(RendezvousWire.FAILED);
        RendezvousWire.writeString(out, e.getMessage());
        out.flush();
        return;
      } finally {
        Gathering g = gatherings.get(name);
        if (g != null && g.delivered()) {
          gatherings.remove(name, g);
        }
      }
      out.writeInt(RendezvousWire.OK);
      out.writeInt(all.length);
      for (String m : all) {
        RendezvousWire.writeString(out, m);
      }
      out.write(wire.replyTag(name, all));
      out.flush();
    } catch (IOException e) {
      if (!closed) {
        LOG.warn("rendezvous: a rank's connection failed: {}", e.getMessage());
      }
    }
  }

  private Gathering gathering(String name, int worldSize) {
    if (worldSize < 1) {
      throw new IllegalArgumentException("world size " + worldSize + " in " + name);
    }
    return gatherings.computeIfAbsent(name, n -> new Gathering(n, worldSize));
  }

  @Override
  public void close() {
    closed = true;
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing: nothing left to do with it
    }
    handlers.shutdownNow();
  }

  /** One all-gather: the ranks' messages as they arrive. */
  private static final class Gathering {
    private final String name;
    private final String[] messages;
    private int arrived;
    private int answered;
    private String failure;

    Gathering(String name, int worldSize) {
      this.name = name;
      this.messages = new String[worldSize];
    }

    synchronized String[] arrive(int rank, int worldSize, String message, long timeoutMs) {
      if (worldSize != messages.length) {
        throw new IllegalArgumentException("rank " + rank + " joined " + name + " with world size "
            + worldSize + ", the others with " + messages.length);
      }
      if (rank < 0 || rank >= worldSize) {
        throw new IllegalArgumentException("rank " + rank + " outside 0.." + (worldSize - 1)
            + " in " + name);
      }
      if (messages[rank] == null) {
        arrived++;
      }
      messages[rank] = message;
      notifyAll();
      long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
      try {
        while (arrived < messages.length && failure == null) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            failure = missing() + " of " + messages.length + " never reached the rendezvous ("
                + name + ") within " + timeoutMs + " ms; check those executors' logs, or raise"
                + " collective.timeout-ms";
            notifyAll();
            break;
          }
          wait(Math.max(1, left / 1_000_000L));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure = "the driver stopped the rendezvous (" + name + ")";
      }
      answered++;
      if (failure != null) {
        throw new IllegalStateException(failure);
      }
      return messages.clone();
    }

    /** Whether every rank that arrived was answered and none is still to come. */
    synchronized boolean delivered() {
      return answered >= messages.length || failure != null && answered >= arrived;
    }

    private String missing() {
      List<Integer> ranks = new ArrayList<>();
      for (int r = 0; r < messages.length; r++) {
        if (messages[r] == null) {
          ranks.add(r);
        }
      }
      return ranks.size() == 1 ? "rank " + ranks.get(0) : "ranks " + ranks;
    }
  }
}
