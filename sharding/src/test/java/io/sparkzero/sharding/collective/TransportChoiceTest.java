package io.sparkzero.sharding.collective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Which links are shared memory, and which configurations fail before any stream is opened. */
class TransportChoiceTest {
  private static final PeerInfo SELF = new PeerInfo(1, 1024, false, 10, 10, "127.0.0.1:4000", "a|/dev/shm/x|pid 1");
  private static final PeerInfo SAME_DRIVER = new PeerInfo(1, 1024, false, 11, 11, "127.0.0.1:4001", "a|/dev/shm/x|pid 1");
  private static final PeerInfo OTHER_DIR = new PeerInfo(1, 1024, false, 12, 12, "127.0.0.1:4002", "a|/dev/shm/y|pid 2");
  private static final PeerInfo OTHER_HOST = new PeerInfo(1, 1024, false, 13, 13, "10.0.0.2:4003", "b|/dev/shm/x|pid 3");

  private static CollectiveOptions options(Transport transport) {
    return CollectiveOptions.builder(1).transport(transport).build();
  }

  @Test
  void autoUsesSharedMemoryOnlyWithinOneDriver() {
    assertThat(RingLink.useIpc(options(Transport.AUTO), SELF, SAME_DRIVER, 1)).isTrue();
    assertThat(RingLink.useIpc(options(Transport.AUTO), SELF, OTHER_DIR, 1)).isFalse();
    assertThat(RingLink.useIpc(options(Transport.AUTO), SELF, OTHER_HOST, 1)).isFalse();
  }

  @Test
  void udpIsForcedEvenWithinOneDriver() {
    assertThat(RingLink.useIpc(options(Transport.UDP), SELF, SAME_DRIVER, 1)).isFalse();
  }

  @Test
  void forcedIpcAcrossDriversFailsNamingBothDrivers() {
    assertThatThrownBy(() -> RingLink.useIpc(options(Transport.IPC), SELF, OTHER_DIR, 3))
        .hasMessageContaining("collective.transport=ipc but rank 3 uses media driver [a|/dev/shm/y");
  }

  @Test
  void remotePeerAdvertisingLoopbackFailsNamingBindHost() {
    PeerInfo loopbackElsewhere = new PeerInfo(1, 1024, false, 14, 14, "127.0.0.1:4004", "b|/dev/shm/x|pid 4");

    assertThatThrownBy(() -> RingLink.useIpc(options(Transport.AUTO), SELF, loopbackElsewhere, 2))
        .hasMessageContaining("rank 2 runs on host b but advertises the loopback endpoint")
        .hasMessageContaining("collective.bind-host");
  }

  @Test
  void remotePeerListeningOnIpcOnlyFails() {
    PeerInfo ipcOnly = new PeerInfo(1, 1024, false, 15, 15, "", "b|/dev/shm/x|pid 5");

    assertThatThrownBy(() -> RingLink.useIpc(options(Transport.AUTO), SELF, ipcOnly, 2))
        .hasMessageContaining("rank 2 listens on IPC only");
  }
}
