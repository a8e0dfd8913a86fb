package io.sparkzero.sharding.collective;

import java.nio.file.Path;

/**
 * A JVM that acquires the runtime of an Aeron directory, says {@code ready <owns driver>
 * <locality>} on stdout and then waits to be killed: the executor whose media driver dies in
 * {@link AeronRuntimeTakeoverIT}. {@code DriverHolder <aeron dir>}.
 */
public final class DriverHolder {
  private DriverHolder() {}

  public static void main(String[] args) throws Exception {
    AeronRuntime runtime = TestAeron.startRuntime(Path.of(args[0]));
    System.out.println("ready " + runtime.ownsDriver() + " " + runtime.locality());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
