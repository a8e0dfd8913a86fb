package io.sparkzero.sharding.collective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The interface's wire overloads on an implementation without a 16-bit path: FP32 runs its fp32
 * methods, the others fail naming the implementation and the wire instead of sending fp32.
 */
class WireDefaultsTest {
  private final FloatBlock data = FloatBlock.of(new float[4]);
  private final int[] bounds = {0, 4};

  @Test
  void fp32RunsTheFp32Methods() {
    Recording c = new Recording();
    c.reduceScatterSum(data, bounds, Wire.FP32);
    c.allGather(data, bounds, Wire.FP32);
    c.allReduceSum(data, bounds, Wire.FP32);
    assertThat(c.calls).containsExactly("reduceScatterSum", "allGather",
        "reduceScatterSum", "allGather");
  }

  @Test
  void sixteenBitWiresAreRefusedNamingTheImplementationAndTheWire() {
    Recording c = new Recording();
    assertThatThrownBy(() -> c.reduceScatterSum(data, bounds, Wire.BF16))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageStartingWith(Recording.class.getName() + " has no reduceScatterSum over the bf16"
            + " wire");
    assertThatThrownBy(() -> c.allGather(data, bounds, Wire.FP16))
        .hasMessageContaining("has no allGather over the fp16 wire");
    assertThatThrownBy(() -> c.allReduceSum(data, bounds, Wire.FP16))
        .hasMessageContaining("has no allReduceSum over the fp16 wire");
    assertThatThrownBy(() -> c.allReduceSum(data, bounds, null))
        .isInstanceOf(NullPointerException.class).hasMessage("wire");
    assertThat(c.calls).isEmpty();
  }

  /** A one-rank implementation that only records which fp32 methods ran. */
  private static final class Recording implements Collectives {
    final List<String> calls = new ArrayList<>();

    @Override
    public int rank() {
      return 0;
    }

    @Override
    public int worldSize() {
      return 1;
    }

    @Override
    public void allReduceSum(FloatBlock data, int offset, int length) {
      calls.add("allReduceSum");
    }

    @Override
    public void reduceScatterSum(FloatBlock data, int[] bounds) {
      calls.add("reduceScatterSum");
    }

    @Override
    public void allGather(FloatBlock data, int[] bounds) {
      calls.add("allGather");
    }

    @Override
    public void broadcast(FloatBlock data, int offset, int length, int root) {}

    @Override
    public byte[][] allGatherBytes(byte[] local) {
      return new byte[][] {local};
    }

    @Override
    public void barrier() {}

    @Override
    public CollectiveStats stats() {
      return new CollectiveStats(0, 0, 0, 0, 0, 0, 0);
    }

    @Override
    public void close() {}
  }
}
