package io.sparkzero.checkpoint;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.ExtendWith;

/** The store contracts on {@code file://}. */
@ExtendWith(LocalStoreRoot.class)
class LocalCheckpointStoreTest {

  @Nested
  class RoundTrip extends RoundTripContract {}

  @Nested
  class Commit extends CommitContract {}

  @Nested
  class Integrity extends IntegrityContract {}

  @Nested
  class Retention extends RetentionContract {}

  @Nested
  class Lease extends LeaseContract {}

  @Nested
  class Permissions extends PermissionsContract {}
}
