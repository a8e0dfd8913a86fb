package io.sparkzero.driver.train;

import io.sparkzero.sharding.collective.Rendezvous;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * A rank's side of the driver's rendezvous ({@link RendezvousServer}): one connection per
 * all-gather, the reply awaited in short waits between which {@code cancelled} may end the task
 * (a killed stage).
 */
final class DriverRendezvous implements Rendezvous {
  /** How often a waiting rank checks whether its task was killed. */
  private static final int POLL_MS = 100;
  private static final int CONNECT_TIMEOUT_MS = 30_000;

  private final RendezvousServer.Address server;
  private final RendezvousWire wire;
  private final String stage;
  private final int rank;
  private final int worldSize;
  private final long timeoutMs;
  private final Runnable cancelled;
  private int calls;
  private String lastGathering;

  /**
   * @param stage names the stage attempt the ranks meet in: every rank of it gives the same name
   * @param timeoutMs how long the server lets the first rank wait for the last
   * @param cancelled throws when the task should stop waiting
   */
  DriverRendezvous(RendezvousServer.Address server, byte[] key, String stage, int rank,
      int worldSize, long timeoutMs, Runnable cancelled) {
    this.server = server;
    this.wire = new RendezvousWire(key);
    this.stage = stage;
    this.rank = rank;
    this.worldSize = worldSize;
    this.timeoutMs = timeoutMs;
    this.cancelled = cancelled;
  }

  /** The name of the last all-gather, the same on every rank that took part: null before one. */
  String lastGathering() {
    return lastGathering;
  }

  @Override
  public int rank() {
    return rank;
  }

  @Override
  public int worldSize() {
    return worldSize;
  }

  @Override
  public String[] allGather(String message) {
    String name = stage + "#" + calls++;
    lastGathering = name;
    try (Socket socket = new Socket()) {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(server.host(), server.port()), CONNECT_TIMEOUT_MS);
      DataOutputStream out =
          new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
      out.writeInt(RendezvousWire.MAGIC);
      RendezvousWire.writeString(out, name);
      out.writeInt(rank);
      out.writeInt(worldSize);
      RendezvousWire.writeString(out, message);
      out.write(wire.requestTag(name, rank, worldSize, message));
      out.flush();
      BufferedInputStream buffered = new BufferedInputStream(socket.getInputStream());
      awaitReply(socket, buffered);
      DataInputStream in = new DataInputStream(buffered);
      if (in.readInt() != RendezvousWire.OK) {
        throw new IllegalStateException("rank " + rank + ": " + RendezvousWire.readString(in));
      }
      String[] all = new String[in.readInt()];
      if (all.length != worldSize) {
        throw new IOException("the reply holds " + all.length + " ranks, not " + worldSize);
      }
      for (int r = 0; r < all.length; r++) {
        all[r] = RendezvousWire.readString(in);
      }
      if (!RendezvousWire.matches(wire.replyTag(name, all), RendezvousWire.readTag(in))) {
        throw new IllegalStateException("rank " + rank + ": the rendezvous reply from " + server
            + " carries a wrong tag: it is not this job's driver");
      }
      return all;
    } catch (IOException e) {
      throw new UncheckedIOException("rank " + rank + " cannot meet its peers at the driver's"
          + " rendezvous " + server + " (" + name + "): " + e.getMessage() + "; the executors"
          + " must reach the driver on that port, or set train.rendezvous=spark", e);
    }
  }

  /**
   * Waits for the reply's first byte, checking between short waits whether the task was killed;
   * the rest of the reply follows it at once. The server answers within its own timeout, so a
   * rank waits at most a little longer than that.
   */
  private void awaitReply(Socket socket, BufferedInputStream in) throws IOException {
    socket.setSoTimeout(POLL_MS);
    long deadline = System.nanoTime() + (timeoutMs + CONNECT_TIMEOUT_MS) * 1_000_000L;
    while (true) {
      cancelled.run();
      try {
        in.mark(1);
        if (in.read() < 0) {
          throw new IOException("the driver closed the connection before answering");
        }
        in.reset();
        socket.setSoTimeout(CONNECT_TIMEOUT_MS);
        return;
      } catch (SocketTimeoutException e) {
        if (System.nanoTime() > deadline) {
          throw new IOException("no answer within " + (timeoutMs + CONNECT_TIMEOUT_MS) + " ms");
        }
      }
    }
  }
}
