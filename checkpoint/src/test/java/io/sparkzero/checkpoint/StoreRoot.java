package io.sparkzero.checkpoint;

import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Where a test class's stores live: a base URI on some FileSystem and the configuration to reach
 * it. Resolved as a test parameter by {@link LocalStoreRoot} or {@link MiniDfsStoreRoot}.
 *
 * @param baseUri a directory under which each test makes its own store
 * @param conf the Hadoop configuration for that FileSystem
 */
record StoreRoot(String baseUri, Configuration conf) {

  /**
   * The outermost test class's context: nested classes share its fixture, which lives as long as
   * that class runs.
   */
  static ExtensionContext outermostClass(ExtensionContext context) {
    ExtensionContext top = context;
    for (Optional<ExtensionContext> p = context.getParent();
        p.isPresent() && p.get().getTestClass().isPresent(); p = p.get().getParent()) {
      top = p.get();
    }
    return top;
  }
}
