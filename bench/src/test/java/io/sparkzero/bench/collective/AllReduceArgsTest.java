package io.sparkzero.bench.collective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkzero.bench.collective.AllReduceArgs.Memory;
import io.sparkzero.sharding.collective.Transport;
import io.sparkzero.sharding.collective.Wire;
import org.junit.jupiter.api.Test;

class AllReduceArgsTest {

  @Test
  void defaultsAreTheDocumentedOnes() {
    AllReduceArgs args = AllReduceArgs.parse();
    assertThat(args.procs()).isEqualTo(2);
    assertThat(args.sizesMb()).containsExactly(4.0, 80.0);
    assertThat(args.reps()).isEqualTo(9);
    assertThat(args.jitWarmupMs()).isEqualTo(3000);
    assertThat(args.transports()).containsExactly(Transport.IPC, Transport.UDP);
    assertThat(args.memory()).isEqualTo(Memory.HEAP);
    assertThat(args.wire()).isEqualTo(Wire.FP32);
    assertThat(args.settings()).isEmpty();
    assertThat(args.rank()).isEqualTo(-1);
  }

  @Test
  void memoryIsHeapUnlessNativeIsAskedForAndChildrenInheritIt() {
    assertThat(AllReduceArgs.parse(new String[0]).memory()).isEqualTo(Memory.HEAP);
    AllReduceArgs args = AllReduceArgs.parse(new String[] {"--memory", "native", "--reps", "3"});
    assertThat(args.memory()).isEqualTo(Memory.NATIVE);
    AllReduceArgs child = AllReduceArgs.parse(
        args.forChild(1, "/tmp/r", "/tmp/a", 0xabcL).toArray(new String[0]));
    assertThat(child.memory()).isEqualTo(Memory.NATIVE);
    assertThat(child.reps()).isEqualTo(3);
    assertThat(child.rank()).isEqualTo(1);
  }

  @Test
  void aChildGetsEveryOptionOfItsParent() {
    AllReduceArgs parent = AllReduceArgs.parse("--procs", "3", "--sizes-mb", "1", "16",
        "--reps", "15", "--jit-warmup-ms", "0", "--transports", "udp", "--wire", "bf16", "--set",
        "collective.bucket-bytes=4194304", "--set", "collective.chunk-bytes=32768");
    AllReduceArgs child = AllReduceArgs.parse(
        parent.forChild(2, "/tmp/r", "/tmp/a", 0xabcL).toArray(new String[0]));
    assertThat(child).isEqualTo(new AllReduceArgs(3, parent.sizesMb(), 15, 0,
        parent.transports(), Memory.HEAP, Wire.BF16, parent.settings(), 2, "/tmp/r", "/tmp/a",
        0xabcL));
  }

  @Test
  void unknownMemoryIsRefusedNamingTheChoices() {
    assertThatThrownBy(() -> AllReduceArgs.parse(new String[] {"--memory", "gpu"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--memory gpu: expected heap or native");
  }

  @Test
  void unknownWireIsRefusedNamingTheChoices() {
    assertThat(AllReduceArgs.parse("--wire", "fp16").wire()).isEqualTo(Wire.FP16);
    assertThatThrownBy(() -> AllReduceArgs.parse("--wire", "fp8"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--wire fp8: expected fp32, bf16 or fp16");
  }

  @Test
  void badNumbersAndTransportsAreRefusedNamingTheFlagAndTheValue() {
    assertThatThrownBy(() -> AllReduceArgs.parse("--procs", "0"))
        .hasMessageStartingWith("--procs 0: expected a whole number, at least 1; usage: "
            + "AllReduceBenchmark [--procs N] [--sizes-mb MB...] [--reps R] [--jit-warmup-ms MS]"
            + " [--transports ipc,udp] [--memory heap|native] [--wire fp32|bf16|fp16]"
            + " [--set key=value]...");
    assertThatThrownBy(() -> AllReduceArgs.parse("--reps", "x"))
        .hasMessageStartingWith("--reps x: expected a whole number, at least 1;");
    assertThatThrownBy(() -> AllReduceArgs.parse("--jit-warmup-ms", "-1"))
        .hasMessageStartingWith("--jit-warmup-ms -1: expected a whole number, at least 0;");
    assertThatThrownBy(() -> AllReduceArgs.parse("--sizes-mb", "4", "0"))
        .hasMessageStartingWith("--sizes-mb 0: expected a decimal number of megabytes, more"
            + " than 0 and at most 2147;");
    assertThatThrownBy(() -> AllReduceArgs.parse("--sizes-mb"))
        .hasMessageStartingWith("--sizes-mb without a value:");
    assertThatThrownBy(() -> AllReduceArgs.parse("--transports", "ipc,tcp"))
        .hasMessageStartingWith("--transports ipc,tcp: expected a comma list of ipc, udp, auto;");
    assertThatThrownBy(() -> AllReduceArgs.parse("--bogus"))
        .hasMessageStartingWith("unknown argument --bogus; usage: AllReduceBenchmark");
  }

  @Test
  void settingsMustBeCollectiveOptionsWithAllowedValues() {
    assertThatThrownBy(() -> AllReduceArgs.parse("--set", "collective.chunk-bytes"))
        .hasMessageStartingWith("--set collective.chunk-bytes: expected key=value, the key one"
            + " of collective.transport, ");
    assertThatThrownBy(() -> AllReduceArgs.parse("--set", "train.epochs=3"))
        .hasMessageStartingWith("--set train.epochs=3: expected key=value, the key one of");
    assertThatThrownBy(() -> AllReduceArgs.parse("--set", "collective.chunk-bytes=7"))
        .hasMessageStartingWith("--set collective.chunk-bytes=7: expected collective.chunk-bytes"
            + " 32..65440, a multiple of 32;");
  }

  @Test
  void settingsAreCheckedTogether() {
    assertThat(AllReduceArgs.parse("--set", "collective.chunk-bytes=8128", "--set",
        "collective.udp-term-bytes=65536").settings()).hasSize(2);
    assertThatThrownBy(() -> AllReduceArgs.parse("--set", "collective.udp-term-bytes=65536"))
        .hasMessageStartingWith("--set collective.udp-term-bytes=65536: expected"
            + " collective.udp-term-bytes a power of two in 65536..1073741824, at least 8 frames;");
  }

  @Test
  void aChildRankMustBeBelowTheProcessCount() {
    assertThatThrownBy(() -> AllReduceArgs.parse("--procs", "2", "--rank", "2"))
        .hasMessageStartingWith("--rank 2: expected a rank in 0..1;");
  }
}
