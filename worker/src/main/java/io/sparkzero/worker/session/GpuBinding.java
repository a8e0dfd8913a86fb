package io.sparkzero.worker.session;

import io.sparkzero.worker.concurrent.RankDevice;
import java.io.Serializable;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GPU Spark's scheduler gave a rank's task ({@code spark.task.resource.gpu.amount=1}), and the
 * ND4J device the rank's thread was bound to before its first array. ND4J picks a device per
 * thread, so the task thread binds here and every thread the rank starts binds to the same device
 * ({@link RankDevice}).
 *
 * @param rank the rank
 * @param address the address Spark assigned (what the discovery script printed), empty when the
 *     task was given no GPU
 * @param requestedDevice the device ordinal the rank asked ND4J for (the address as a number), -1
 *     without a GPU
 * @param device the device ND4J reports for the rank's thread after binding
 * @param backend ND4J's backend class, for the log and the run's summary
 * @param cpuBackend whether ND4J runs the CPU backend, where there is no device to bind
 */
public record GpuBinding(int rank, String address, int requestedDevice, int device, String backend,
    boolean cpuBackend) implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(GpuBinding.class);

  /** Spark's name for the resource. */
  public static final String RESOURCE = "gpu";

  /** ND4J's device calls, as one seam: the backend's affinity manager, or a test's recorder. */
  interface Devices {
    boolean cpu();

    String backend();

    int count();

    int current();

    void use(int device);
  }

  /** ND4J's own backend and affinity manager. */
  static final Devices ND4J = new Devices() {
    @Override
    public boolean cpu() {
      return Nd4j.getEnvironment().isCPU();
    }

    @Override
    public String backend() {
      return Nd4j.getBackend().getClass().getSimpleName();
    }

    @Override
    public int count() {
      return Nd4j.getAffinityManager().getNumberOfDevices();
    }

    @Override
    public int current() {
      return RankDevice.current();
    }

    @Override
    public void use(int device) {
      RankDevice.use(device);
    }
  };

  /** Whether Spark gave the rank a GPU. */
  public boolean assigned() {
    return !address.isEmpty();
  }

  /**
   * Binds this thread's ND4J device to the one GPU in {@code addresses} (the task's {@code gpu}
   * resource; null or empty when it has none) and says which device the rank uses. Call it before
   * the rank creates its first array.
   *
   * @throws IllegalStateException when the task holds more than one GPU, or an address that is
   *     not a device ordinal of this host
   */
  public static GpuBinding bind(String[] addresses, int rank) {
    return bind(addresses, rank, ND4J);
  }

  static GpuBinding bind(String[] addresses, int rank, Devices devices) {
    String backend = devices.backend();
    boolean cpu = devices.cpu();
    if (addresses == null || addresses.length == 0) {
      return new GpuBinding(rank, "", -1, devices.current(), backend, cpu);
    }
    if (addresses.length != 1) {
      throw new IllegalStateException("rank " + rank + " was given " + addresses.length
          + " GPUs (addresses " + String.join(", ", addresses) + "), but a rank uses exactly one:"
          + " set spark.task.resource.gpu.amount=1");
    }
    String address = addresses[0].trim();
    int ordinal;
    try {
      ordinal = Integer.parseInt(address);
    } catch (NumberFormatException e) {
      throw new IllegalStateException("rank " + rank + " was given GPU address '" + address
          + "', which is not a CUDA device ordinal; the GPU discovery script must print this"
          + " host's device indices (0, 1, ...), as deploy/bin/gpu-discovery.sh does");
    }
    int count = devices.count();
    if (!cpu && (ordinal < 0 || ordinal >= count)) {
      throw new IllegalStateException("rank " + rank + " was given GPU " + ordinal + " but ND4J"
          + " sees " + count + " device(s) on this host (0-" + (count - 1) + "); check the"
          + " discovery script and CUDA_VISIBLE_DEVICES");
    }
    devices.use(ordinal);
    GpuBinding binding = new GpuBinding(rank, address, ordinal, devices.current(), backend, cpu);
    if (cpu) {
      LOG.warn("rank {}: Spark gave this task GPU {}, but ND4J runs its CPU backend ({}): the rank"
          + " computes on the CPU; build with -Pcuda for the CUDA backend", rank, address, backend);
    } else {
      LOG.info("rank {}: Spark gave this task GPU {}; ND4J ({}) computes on device {}", rank,
          address, backend, binding.device());
    }
    return binding;
  }

  /** One line for the console: {@code rank 0: GPU 1 (device 1)}. */
  public String describe() {
    return "rank " + rank + ": " + (assigned() ? "GPU " + address
        + (cpuBackend ? " (unused: CPU backend)" : " (device " + device + ")") : "no GPU");
  }
}
