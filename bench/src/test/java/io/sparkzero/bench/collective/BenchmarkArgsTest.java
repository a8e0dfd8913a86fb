package io.sparkzero.bench.collective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkzero.bench.collective.BenchmarkArgs.Memory;
import org.junit.jupiter.api.Test;

class BenchmarkArgsTest {

  @Test
  void memoryIsHeapUnlessNativeIsAskedForAndChildrenInheritIt() {
    assertThat(BenchmarkArgs.parse(new String[0]).memory()).isEqualTo(Memory.HEAP);
    BenchmarkArgs args = BenchmarkArgs.parse(new String[] {"--memory", "native", "--reps", "3"});
    assertThat(args.memory()).isEqualTo(Memory.NATIVE);
    BenchmarkArgs child = BenchmarkArgs.parse(
        args.forChild(1, "/tmp/r", "/tmp/a", 0xabcL).toArray(new String[0]));
    assertThat(child.memory()).isEqualTo(Memory.NATIVE);
    assertThat(child.reps()).isEqualTo(3);
    assertThat(child.rank()).isEqualTo(1);
  }

  @Test
  void unknownMemoryIsRefusedNamingTheChoices() {
    assertThatThrownBy(() -> BenchmarkArgs.parse(new String[] {"--memory", "gpu"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--memory gpu: expected heap or native");
  }
}
