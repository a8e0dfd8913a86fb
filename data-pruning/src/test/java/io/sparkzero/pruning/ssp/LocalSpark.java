package io.sparkzero.pruning.ssp;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One embedded {@code local[2]} Spark session per test class, bound to loopback with no UI (the
 * driver module's fixture of the same name, which its test jar does not export).
 */
final class LocalSpark implements BeforeAllCallback, AfterAllCallback {

  private SparkSession session;

  @Override
  public void beforeAll(ExtensionContext context) {
    session = SparkSession.builder()
        .master("local[2]")
        .appName(context.getDisplayName())
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.default.parallelism", "2")
        .config("spark.sql.shuffle.partitions", "2")
        // Test data is tiny: compiling whole-stage code costs more than it saves.
        .config("spark.sql.codegen.wholeStage", "false")
        .getOrCreate();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (session != null) {
      session.stop();
      session = null;
    }
  }

  SparkSession session() {
    return session;
  }
}
