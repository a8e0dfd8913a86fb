package io.sparkzero.worker.offload;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Real, small file systems for disk-full and permission tests (JUnit 5 extension, register with
 * {@code @RegisterExtension}): each {@link #mount} puts a tmpfs of the given size on a fresh
 * directory, and every mount is undone after each test (after all tests when registered on a
 * static field), passed or failed. A tmpfs needs no image file, no mkfs and no loop device, and it
 * counts space in whole pages, so a size of 1 MiB holds exactly 1 MiB of data.
 *
 * <p>Mounting needs the {@code mount} command and root with {@code CAP_SYS_ADMIN} (CI runs the
 * tests as root; root in a container without that capability cannot mount); where either is
 * missing the calling test is skipped with the reason, not failed.
 */
public final class TmpfsMounts implements AfterEachCallback, AfterAllCallback {
  private static final long MOUNT_TIMEOUT_S = 30;

  private final List<Path> mounted = new ArrayList<>();

  /** A fresh writable tmpfs of {@code sizeBytes} (a multiple of 4096), owner-only. */
  public Path mount(long sizeBytes) throws IOException {
    return mount("size=" + sizeBytes + ",mode=0700");
  }

  /** A fresh read-only tmpfs: an existing, empty directory that refuses writes, even root's. */
  public Path mountReadOnly() throws IOException {
    return mount("size=65536,mode=0755,ro");
  }

  private Path mount(String options) throws IOException {
    Path dir = Files.createTempDirectory("spark-zero-tmpfs-");
    String output;
    try {
      output = run("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString());
    } catch (CannotStart e) {
      Files.deleteIfExists(dir);
      return Assumptions.abort("mounting a small tmpfs needs the mount command, which could not"
          + " be run (" + e.getMessage() + "), and root with CAP_SYS_ADMIN");
    }
    if (output != null) {
      Files.deleteIfExists(dir);
      Assumptions.abort("mounting a small tmpfs needs root with CAP_SYS_ADMIN (mount said: "
          + output.strip() + ")");
    }
    mounted.add(dir);
    return dir;
  }

  /**
   * Fills the file system holding {@code dir} to its last byte with a file {@code dir/filler},
   * written until the kernel answers "No space left on device".
   *
   * @return the bytes written
   */
  public static long fill(Path dir) throws IOException {
    ByteBuffer ones = ByteBuffer.allocate(64 << 10);
    long written = 0;
    try (FileChannel filler = FileChannel.open(dir.resolve("filler"), StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE)) {
      while (true) {
        ones.clear();
        written += filler.write(ones);
      }
    } catch (IOException e) {
      if (!String.valueOf(e.getMessage()).contains("No space left on device")) {
        throw e;
      }
    }
    return written;
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    unmountAll();
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    unmountAll();
  }

  /**
   * Unmounts in reverse order; a mount still busy (a file a failed test left open) is detached
   * lazily, so no test run leaves a mount behind.
   */
  private void unmountAll() throws IOException {
    List<String> failures = new ArrayList<>();
    for (int i = mounted.size() - 1; i >= 0; i--) {
      Path dir = mounted.remove(i);
      String output = run("umount", dir.toString());
      if (output != null) {
        String lazy = run("umount", "-l", dir.toString());
        if (lazy != null) {
          failures.add(dir + ": " + output.strip() + "; umount -l: " + lazy.strip());
          continue;
        }
      }
      Files.deleteIfExists(dir);
    }
    if (!failures.isEmpty()) {
      throw new IOException("could not unmount test tmpfs " + failures + ": unmount by hand");
    }
  }

  /**
   * Runs a command; null when it succeeded, else its exit status and output. Throws {@link
   * CannotStart} when the command cannot be started at all (not installed, not executable).
   */
  private static String run(String... command) throws IOException {
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new CannotStart(e);
    }
    try {
      if (!process.waitFor(MOUNT_TIMEOUT_S, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return String.join(" ", command) + " did not finish in " + MOUNT_TIMEOUT_S + " s";
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IOException("interrupted running " + String.join(" ", command), e);
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return process.exitValue() == 0 ? null
        : "exit " + process.exitValue() + ": " + output;
  }

  /** The command could not be started; the message is the JDK's (it names the program). */
  private static final class CannotStart extends IOException {
    private static final long serialVersionUID = 1L;

    CannotStart(IOException cause) {
      super(cause.getMessage(), cause);
    }
  }
}
