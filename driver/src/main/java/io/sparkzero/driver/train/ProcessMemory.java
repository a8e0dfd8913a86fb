package io.sparkzero.driver.train;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The memory of the JVM a rank ran in, as the operating system and the JVM see it: a cross-check
 * of the model-state bytes the engine counts in its own buffers, which leaves out activations,
 * DL4J's working memory and the JVM itself.
 *
 * @param peakResidentBytes the process's peak resident set ({@code VmHWM} in
 *     {@code /proc/self/status}), or -1 where the system does not report it
 * @param heapMaxBytes the JVM's maximum heap ({@code -Xmx})
 */
public record ProcessMemory(long peakResidentBytes, long heapMaxBytes) implements Serializable {

  /** This process, now. */
  static ProcessMemory current() {
    return new ProcessMemory(peakResident(), Runtime.getRuntime().maxMemory());
  }

  private static long peakResident() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          String[] parts = line.substring(6).trim().split("\\s+");
          return Long.parseLong(parts[0]) * 1024; // reported in kB
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or /proc unreadable: report unknown
    }
    return -1;
  }
}
