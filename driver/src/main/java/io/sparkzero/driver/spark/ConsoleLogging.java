package io.sparkzero.driver.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;

/**
 * The console's log levels. The shipped Log4j 2 configuration ({@value #CONFIG_RESOURCE} in the
 * driver jar, {@code deploy/conf/log4j2.properties}) keeps libraries (Spark, Hadoop, Aeron, ND4J)
 * at WARN and spark-zero at INFO, and reads both library levels from system properties, so that
 * {@code --verbose} can restore INFO in the driver and an executor JVM started with the same
 * properties follows.
 */
public final class ConsoleLogging {
  /** The shipped configuration, as a class path resource of the driver jar. */
  public static final String CONFIG_RESOURCE = "spark-zero-log4j2.properties";
  /** Log4j 2's property naming the configuration file. */
  static final String CONFIG_FILE_PROPERTY = "log4j2.configurationFile";
  /**
   * The libraries' level; WARN when unset. (Neither property starts with "spark": Spark refuses
   * executor JVM options that contain "-Dspark".)
   */
  static final String LIBRARY_LEVEL_PROPERTY = "io.sparkzero.log.level";
  /**
   * Whether Spark's per-task failure logs (each failed task's stack trace, logged by the executor
   * and again by the scheduler) pass their filter: DENY (when unset) or NEUTRAL. Hidden by default
   * because the command line reports the job's failure itself, once.
   */
  static final String TASK_FAILURES_PROPERTY = "io.sparkzero.log.task-failures";

  private ConsoleLogging() {}

  /** Libraries back at INFO and task failures shown, from now on (Log4j may be configured already). */
  public static void verbose() {
    System.setProperty(LIBRARY_LEVEL_PROPERTY, "INFO");
    System.setProperty(TASK_FAILURES_PROPERTY, "NEUTRAL");
    ((LoggerContext) LogManager.getContext(false)).reconfigure();
  }

  /**
   * {@code existing} (the job's {@code spark.executor.extraJavaOptions}, may be null) with this
   * JVM's logging configuration and levels appended, so that executors started on this host log
   * as the driver does; unchanged when it names a configuration of its own or the driver has
   * none.
   */
  public static String executorJavaOptions(String existing) {
    String file = System.getProperty(CONFIG_FILE_PROPERTY);
    if (file == null || (existing != null && existing.contains(CONFIG_FILE_PROPERTY))) {
      return existing;
    }
    List<String> options = new ArrayList<>();
    if (existing != null && !existing.isBlank()) {
      options.add(existing.strip());
    }
    options.add(define(CONFIG_FILE_PROPERTY, file));
    for (String property : List.of(LIBRARY_LEVEL_PROPERTY, TASK_FAILURES_PROPERTY)) {
      String value = System.getProperty(property);
      if (value != null) {
        options.add(define(property, value));
      }
    }
    return String.join(" ", options);
  }

  /** {@code -Dkey=value}, quoted when the value has blanks (Spark splits the options as a shell). */
  private static String define(String key, String value) {
    String option = "-D" + key + "=" + value;
    return value.chars().anyMatch(Character::isWhitespace) ? "\"" + option + "\"" : option;
  }
}
