package io.sparkzero.worker.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How a rank binds to the GPU Spark assigned it. A recording stand-in for ND4J's device calls plays
 * a two-GPU CUDA backend (no GPU here); the last test runs the real CPU backend.
 */
class GpuBindingTest {

  /** A CUDA backend with {@code count} devices that records every device it is told to use. */
  private static final class TwoGpus implements GpuBinding.Devices {
    final List<Integer> used = new ArrayList<>();
    private int current;

    @Override
    public boolean cpu() {
      return false;
    }

    @Override
    public String backend() {
      return "JCublasBackend";
    }

    @Override
    public int count() {
      return 2;
    }

    @Override
    public int current() {
      return current;
    }

    @Override
    public void use(int device) {
      used.add(device);
      current = device;
    }
  }

  @Test
  void theRankIsBoundToTheDeviceItsAddressNames() {
    TwoGpus gpus = new TwoGpus();

    GpuBinding binding = GpuBinding.bind(new String[] {"1"}, 3, gpus);

    assertThat(gpus.used).containsExactly(1);
    assertThat(binding).isEqualTo(new GpuBinding(3, "1", 1, 1, "JCublasBackend", false));
    assertThat(binding.describe()).isEqualTo("rank 3: GPU 1 (device 1)");
  }

  @Test
  void aTaskWithoutAGpuBindsNothing() {
    TwoGpus gpus = new TwoGpus();

    GpuBinding binding = GpuBinding.bind(null, 0, gpus);

    assertThat(gpus.used).isEmpty();
    assertThat(binding.assigned()).isFalse();
    assertThat(binding.describe()).isEqualTo("rank 0: no GPU");
  }

  @Test
  void moreThanOneGpuPerTaskIsRefused() {
    assertThatThrownBy(() -> GpuBinding.bind(new String[] {"0", "1"}, 2, new TwoGpus()))
        .hasMessage("rank 2 was given 2 GPUs (addresses 0, 1), but a rank uses exactly one: set"
            + " spark.task.resource.gpu.amount=1");
  }

  @Test
  void anAddressThatIsNoDeviceOfThisHostIsRefused() {
    assertThatThrownBy(() -> GpuBinding.bind(new String[] {"GPU-5f1c"}, 0, new TwoGpus()))
        .hasMessageStartingWith("rank 0 was given GPU address 'GPU-5f1c', which is not a CUDA"
            + " device ordinal");
    assertThatThrownBy(() -> GpuBinding.bind(new String[] {"2"}, 1, new TwoGpus()))
        .hasMessageStartingWith("rank 1 was given GPU 2 but ND4J sees 2 device(s) on this host"
            + " (0-1)");
  }

  @Test
  void onTheCpuBackendTheAddressIsRecordedAndTheRankComputesOnTheCpu() {
    GpuBinding binding = GpuBinding.bind(new String[] {"1"}, 0);

    assertThat(binding.cpuBackend()).isTrue();
    assertThat(binding.requestedDevice()).isEqualTo(1);
    assertThat(binding.device()).as("the CPU backend has one device").isZero();
    assertThat(binding.describe()).isEqualTo("rank 0: GPU 1 (unused: CPU backend)");
  }
}
