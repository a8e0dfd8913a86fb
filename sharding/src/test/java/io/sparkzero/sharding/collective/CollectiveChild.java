package io.sparkzero.sharding.collective;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The second process of {@link TwoProcessCollectivesIT}: {@code CollectiveChild <rendezvous dir>
 * <rank> <world size> <transport> <aeron dir> <token hex> <result file>}. Runs {@link
 * TwoProcessScenario}, writes {@code ok ownsDriver=<bool>} or the failure to the result file, and
 * exits 0 on success, 1 otherwise.
 */
public final class CollectiveChild {
  private CollectiveChild() {}

  public static void main(String[] args) throws Exception {
    Path result = Path.of(args[6]);
    int status = 1;
    String report;
    try {
      Path aeronDir = Path.of(args[4]);
      Transport transport = Transport.parse(args[3]);
      long token = Long.parseUnsignedLong(args[5], 16);
      AeronRuntime runtime = AeronRuntime.acquire(new RuntimeOptions(aeronDir, 10_000, 100));
      Rendezvous rendezvous = new FileRendezvous(
          Path.of(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]), 30_000);
      try (Collectives c = AeronCollectives.create(
          rendezvous, TwoProcessScenario.options(token, aeronDir, transport), runtime)) {
        TwoProcessScenario.run(c);
      }
      report = "ok ownsDriver=" + runtime.ownsDriver();
      runtime.close();
      status = 0;
    } catch (Throwable e) {
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      report = "failed: " + trace;
    }
    Files.writeString(result, report);
    System.exit(status);
  }
}
