package io.sparkzero.sharding.collective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PeerInfoTest {

  @Test
  void survivesTheRendezvousWithAwkwardCharacters() {
    PeerInfo info = new PeerInfo(-5L, 65440, 1234, "127.0.0.1:40123", "host|/dev/shm/a&b=c|pid 9");

    assertThat(PeerInfo.parse(info.encode(), 3)).isEqualTo(info);
  }

  @Test
  void aForeignMessageIsRefusedNamingTheRank() {
    assertThatThrownBy(() -> PeerInfo.parse("hello", 2))
        .hasMessageContaining("rank 2 sent an unexpected rendezvous message 'hello'");
  }

  @Test
  void ranksOfAnotherJobOrChunkSizeAreRefused() {
    PeerInfo self = new PeerInfo(1, 1024, 1, "", "a");

    assertThatThrownBy(() -> self.checkCompatible(new PeerInfo(2, 1024, 2, "", "a"), 4))
        .hasMessageContaining("rank 4 belongs to job token 2");
    assertThatThrownBy(() -> self.checkCompatible(new PeerInfo(1, 2048, 2, "", "a"), 4))
        .hasMessageContaining("collective.chunk-bytes=2048");
  }
}
