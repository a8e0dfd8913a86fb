package io.sparkzero.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The store contracts on a real HDFS (hdfs:// URIs on an in-process MiniDFSCluster): round trips
 * and resharded range reads, the commit protocol, corruption detection and retention.
 */
@ExtendWith(MiniDfsStoreRoot.class)
class HdfsCheckpointStoreIT {

  @Nested
  class RoundTrip extends RoundTripContract {}

  @Nested
  class Commit extends CommitContract {}

  @Nested
  class Integrity extends IntegrityContract {}

  @Nested
  class Lease extends LeaseContract {}

  @Nested
  class Permissions extends PermissionsContract {}

  @Nested
  class Retention extends RetentionContract {}

  /** Why every rename's result is checked: HDFS reports this failure as false, not an exception. */
  @Test
  void hdfsRenameOntoAnExistingFileReturnsFalse(StoreRoot root) throws Exception {
    FileSystem fs = FileSystem.get(URI.create(root.baseUri()), root.conf());
    Path source = new Path(root.baseUri() + "/rename/source");
    Path target = new Path(root.baseUri() + "/rename/target");
    for (Path p : new Path[] {source, target}) {
      try (OutputStream out = fs.create(p, false)) {
        out.write(p.getName().getBytes(StandardCharsets.US_ASCII));
      }
    }

    assertThat(fs.rename(source, target)).isFalse();
    assertThat(fs.exists(source)).isTrue();
    assertThat(fs.getFileStatus(target).getLen()).isEqualTo("target".length());
  }
}
