package io.sparkzero.sharding.collective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PeerInfoTest {

  @Test
  void survivesTheRendezvousWithAwkwardCharacters() {
    PeerInfo info = new PeerInfo(-5L, 65440, true, 1234, -77, "127.0.0.1:40123", "host|/dev/shm/a&b=c|pid 9");

    assertThat(PeerInfo.parse(info.encode(), 3)).isEqualTo(info);
  }

  @Test
  void aForeignMessageIsRefusedNamingTheRank() {
    assertThatThrownBy(() -> PeerInfo.parse("hello", 2))
        .hasMessageContaining("rank 2 sent an unexpected rendezvous message 'hello'");
  }

  @Test
  void ranksOfAnotherJobChunkSizeOrTaggingAreRefused() {
    PeerInfo self = new PeerInfo(1, 1024, false, 1, 5, "", "a");

    assertThatThrownBy(() -> self.checkCompatible(new PeerInfo(2, 1024, false, 2, 6, "", "a"), 4))
        .hasMessageContaining("rank 4 belongs to the job tagged 2");
    assertThatThrownBy(() -> self.checkCompatible(new PeerInfo(1, 2048, false, 2, 6, "", "a"), 4))
        .hasMessageContaining("collective.chunk-bytes=2048");
    assertThatThrownBy(() -> self.checkCompatible(new PeerInfo(1, 1024, true, 2, 6, "", "a"), 4))
        .hasMessage("rank 4 uses collective.authenticate=true but this rank false; give every rank"
            + " the same collective options");
  }
}
