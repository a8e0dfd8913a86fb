package io.sparkzero.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

/**
 * The directory lease: one live job per checkpoint directory; an expired lease is taken over only
 * when asked; a job that lost its lease learns it at its next renewal. Time is a test clock, the
 * lease lives 60 s.
 */
abstract class LeaseContract extends StoreFixture {
  private static final long TTL = 60_000;
  private static final CheckpointLease.Holder A = new CheckpointLease.Holder("job-a", "app-1", "host-a");
  private static final CheckpointLease.Holder B = new CheckpointLease.Holder("job-b", "app-2", "host-b");
  private final AtomicLong now = new AtomicLong(1_000_000);

  private CheckpointLease lease(CheckpointLease.Holder holder, boolean takeOver) {
    return CheckpointLease.acquire(fs, new Path(store.uri()), holder, TTL, takeOver, now::get,
        CheckpointOptions.DEFAULTS.filePermission());
  }

  private Path leaseFile() {
    return new Path(new Path(store.uri()), CheckpointLease.FILE);
  }

  @Test
  void aSecondJobIsRefusedWhileTheFirstOnesLeaseIsLive() throws Exception {
    CheckpointLease a = lease(A, false);
    now.addAndGet(50_000);
    assertThat(a.renew()).isTrue();
    now.addAndGet(50_000); // 100 s after A took it, 50 s after its renewal: live
    assertThatThrownBy(() -> lease(B, true)).isInstanceOf(CheckpointLease.HeldException.class)
        .hasMessageContaining("job job-a (application app-1 on host-a), renewed 50 s ago")
        .hasMessageContaining("use another checkpoint.path");
    a.close();
    assertThat(fs.exists(leaseFile())).as("released").isFalse();
    lease(B, false).close();
  }

  @Test
  void anExpiredLeaseIsTakenOverOnlyWhenAskedAndItsHolderLearnsAtRenewal() throws Exception {
    CheckpointLease a = lease(A, false);
    now.addAndGet(TTL + 1_000);
    assertThatThrownBy(() -> lease(B, false)).isInstanceOf(CheckpointLease.HeldException.class)
        .hasMessageContaining("which has expired").hasMessageContaining("checkpoint.take-over");
    CheckpointLease b = lease(B, true);
    assertThat(a.renew()).as("A's renewal after B took over").isFalse();
    a.close();
    assertThat(fs.exists(leaseFile())).as("A's close leaves B's lease").isTrue();
    assertThat(b.renew()).isTrue();
    b.close();
    assertThat(fs.exists(leaseFile())).isFalse();
  }

  @Test
  void theSameJobTakesItsOwnLeaseAgain() {
    lease(A, false);
    CheckpointLease again = lease(A, false); // e.g. its driver reopened the store
    assertThat(again.renew()).isTrue();
    again.close();
  }

  @Test
  void aLeaseFileThatDoesNotParseIsNamed() throws Exception {
    damage.replace(leaseFile(), "{\"job_id\": ".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThatThrownBy(() -> lease(B, true)).isInstanceOf(CheckpointLease.HeldException.class)
        .hasMessageContaining(CheckpointLease.FILE).hasMessageContaining("does not parse");
  }
}
