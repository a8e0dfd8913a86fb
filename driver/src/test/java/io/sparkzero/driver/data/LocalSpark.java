package io.sparkzero.driver.data;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One embedded {@code local[2]} Spark session per test class, bound to loopback with no UI.
 * Register as {@code @RegisterExtension static final LocalSpark SPARK = new LocalSpark();}.
 */
final class LocalSpark implements BeforeAllCallback, AfterAllCallback {

  private final boolean kryo;
  private SparkSession session;

  /** A session with Spark's default (Java) serializer. */
  LocalSpark() {
    this(false);
  }

  /**
   * @param kryo whether the session uses Kryo, without spark-zero's registrator (as a user's
   *     session may)
   */
  LocalSpark(boolean kryo) {
    this.kryo = kryo;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    SparkSession.Builder builder = SparkSession.builder();
    if (kryo) {
      builder.config("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
    }
    session = builder
        .master("local[2]")
        .appName(context.getDisplayName())
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.default.parallelism", "2")
        .config("spark.sql.shuffle.partitions", "2")
        // Test queries are tiny: compiling whole-stage code costs more than it saves.
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
