package io.sparkzero.driver.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shipped logging configuration exists once in content (the launcher's file is the jar's
 * resource), and executors on this host get the driver's configuration without losing the job's
 * own JVM options.
 */
class ConsoleLoggingTest {
  private String savedFile;

  @BeforeEach
  void save() {
    savedFile = System.getProperty(ConsoleLogging.CONFIG_FILE_PROPERTY);
  }

  @AfterEach
  void restore() {
    if (savedFile == null) {
      System.clearProperty(ConsoleLogging.CONFIG_FILE_PROPERTY);
    } else {
      System.setProperty(ConsoleLogging.CONFIG_FILE_PROPERTY, savedFile);
    }
  }

  @Test
  void theLaunchersConfigurationIsTheJarsResource() throws Exception {
    byte[] resource;
    try (InputStream in = getClass().getClassLoader()
        .getResourceAsStream(ConsoleLogging.CONFIG_RESOURCE)) {
      assertThat(in).as(ConsoleLogging.CONFIG_RESOURCE).isNotNull();
      resource = in.readAllBytes();
    }
    assertThat(Files.readAllBytes(Path.of("..", "deploy", "conf", "log4j2.properties")))
        .as("deploy/conf/log4j2.properties: copy driver/src/main/resources/"
            + ConsoleLogging.CONFIG_RESOURCE).isEqualTo(resource);
  }

  @Test
  void executorOptionsAppendTheDriversConfigurationUnlessTheJobSetsItsOwn() {
    System.setProperty(ConsoleLogging.CONFIG_FILE_PROPERTY, "/opt/sz/log4j2.properties");
    assertThat(ConsoleLogging.executorJavaOptions("-XX:+UseG1GC"))
        .startsWith("-XX:+UseG1GC -Dlog4j2.configurationFile=/opt/sz/log4j2.properties");
    assertThat(ConsoleLogging.executorJavaOptions(null))
        .startsWith("-Dlog4j2.configurationFile=/opt/sz/log4j2.properties");
    String own = "-Dlog4j2.configurationFile=mine.xml";
    assertThat(ConsoleLogging.executorJavaOptions(own)).isEqualTo(own);

    System.setProperty(ConsoleLogging.CONFIG_FILE_PROPERTY, "/my dir/log4j2.properties");
    assertThat(ConsoleLogging.executorJavaOptions(null))
        .startsWith("\"-Dlog4j2.configurationFile=/my dir/log4j2.properties\"");

    System.clearProperty(ConsoleLogging.CONFIG_FILE_PROPERTY);
    assertThat(ConsoleLogging.executorJavaOptions("-Xss4m")).isEqualTo("-Xss4m");
  }

  /** As --verbose leaves them: Spark refuses executor options that contain "-Dspark". */
  @Test
  void verboseLevelsReachExecutorsInOptionsSparkAccepts() {
    System.setProperty(ConsoleLogging.CONFIG_FILE_PROPERTY, "/opt/sz/log4j2.properties");
    System.setProperty(ConsoleLogging.LIBRARY_LEVEL_PROPERTY, "INFO");
    System.setProperty(ConsoleLogging.TASK_FAILURES_PROPERTY, "NEUTRAL");
    try {
      assertThat(ConsoleLogging.executorJavaOptions(null)).isEqualTo(
          "-Dlog4j2.configurationFile=/opt/sz/log4j2.properties -Dio.sparkzero.log.level=INFO"
              + " -Dio.sparkzero.log.task-failures=NEUTRAL").doesNotContain("-Dspark");
    } finally {
      System.clearProperty(ConsoleLogging.LIBRARY_LEVEL_PROPERTY);
      System.clearProperty(ConsoleLogging.TASK_FAILURES_PROPERTY);
    }
  }
}
