package io.sparkzero.sharding.collective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BindAddressTest {

  @Test
  void autoTakesTheExecutorsAddressAndLoopbackOutsideSpark() {
    assertThat(BindAddress.resolve("auto", "10.0.3.7")).isEqualTo("10.0.3.7");
    assertThat(BindAddress.resolve("auto", null)).isEqualTo("127.0.0.1");
    assertThat(BindAddress.resolve("auto", "")).isEqualTo("127.0.0.1");
  }

  @Test
  void anInterfaceNameGivesItsIpv4Address() {
    assertThat(BindAddress.resolve("if:lo", "10.0.3.7")).isEqualTo("127.0.0.1");
  }

  @Test
  void aNetworkGivesThisHostsAddressInsideIt() {
    assertThat(BindAddress.resolve("127.0.0.0/8", null)).isEqualTo("127.0.0.1");
    assertThat(BindAddress.resolve("127.0.0.1/32", null)).isEqualTo("127.0.0.1");
  }

  @Test
  void aLiteralAddressIsKept() {
    assertThat(BindAddress.resolve("10.1.2.3", "10.0.3.7")).isEqualTo("10.1.2.3");
  }

  @Test
  void noMatchNamesTheAddressesThisHostHas() {
    assertThatThrownBy(() -> BindAddress.resolve("if:no-such-nic0", null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("collective.bind-host=if:no-such-nic0")
        .hasMessageContaining("lo=127.0.0.1");
    // 198.18.0.0/15 is reserved for benchmarking: no host here or in CI carries it.
    assertThatThrownBy(() -> BindAddress.resolve("198.18.0.0/15", null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no IPv4 address of this host is inside that network")
        .hasMessageContaining("lo=127.0.0.1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"auto", "if:eth0", "if:ens5f0", "10.0.0.0/8", "0.0.0.0/0", "node-7.rack2",
      "192.168.1.20"})
  void acceptedForms(String spec) {
    assertThat(BindAddress.isValidSpec(spec)).isTrue();
    assertThat(CollectiveOptions.fromMap(1, Map.of("collective.bind-host", spec)).bindHost())
        .isEqualTo(spec);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.0.0.0", "if:", "10.0.0.0/33", "300.0.0.0/8", "a|b", "if:name-longer-than-15"})
  void refusedForms(String spec) {
    assertThat(BindAddress.isValidSpec(spec)).isFalse();
  }
}
