package io.sparkzero.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Retention keeps the newest committed steps and never touches the newest one. */
abstract class RetentionContract extends StoreFixture {

  @Test
  void keepingTwoOfFourDeletesTheTwoOldest() throws Exception {
    for (long step : new long[] {10, 20, 30, 40}) {
      Shards.commit(store, step, THREE_RANKS);
    }

    assertThat(store.retain(2)).containsExactly(10L, 20L);

    assertThat(store.committedSteps()).containsExactly(30L, 40L);
    assertThat(fs.exists(stepDir(10))).isFalse();
    assertThat(fs.exists(stepDir(20))).isFalse();
    try (Checkpoint checkpoint = store.open(30)) {
      checkpoint.verify();
    }
    assertThat(store.retain(2)).isEmpty();
  }

  @Test
  void theNewestCommittedStepIsNeverDeletedAndUncommittedOnesAreLeftAlone() throws Exception {
    Shards.commit(store, 10, THREE_RANKS);
    Shards.commit(store, 20, THREE_RANKS);
    Shards.write(store, 30, THREE_RANKS);   // being written: not committed yet

    assertThatThrownBy(() -> store.retain(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the newest one is never deleted");
    assertThat(store.retain(5)).isEmpty();
    assertThat(store.retain(1)).containsExactly(10L);

    assertThat(store.committedSteps()).containsExactly(20L);
    assertThat(fs.exists(shard(30, 2))).isTrue();
  }
}
