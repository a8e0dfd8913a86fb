package io.sparkzero.driver.train;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkzero.driver.options.JobConfig;
import io.sparkzero.sharding.options.ConfigException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Checks across options and Spark settings, made before any Spark session exists. */
class JobValidationTest {

  private static JobConfig config(Object... keyValues) {
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("data.train", "synthetic:n=256,features=784,classes=10");
    for (int i = 0; i < keyValues.length; i += 2) {
      raw.put((String) keyValues[i], keyValues[i + 1]);
    }
    return JobConfig.of(raw);
  }

  @Test
  void aLimitOnStreamedDataIsRefusedNotIgnored() {
    assertThatThrownBy(() -> JobValidation.check(config("data.mode", "stream", "data.limit", 100)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("data.limit")
        .hasMessageContaining("the ranks read data.train whole");
    assertThatCode(() -> JobValidation.check(config("data.mode", "stream")))
        .doesNotThrowAnyException();
    assertThatCode(() -> JobValidation.check(config("data.limit", 100)))
        .doesNotThrowAnyException();
  }

  @Test
  void dynamicAllocationIsRefusedBeforeSparkStarts() {
    assertThatThrownBy(() -> JobValidation.check(
            config("spark-conf.spark.dynamicAllocation.enabled", "true")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("spark.dynamicAllocation.enabled")
        .hasMessageContaining("barrier stage");
    assertThatCode(() -> JobValidation.check(
            config("spark-conf.spark.dynamicAllocation.enabled", "false")))
        .doesNotThrowAnyException();
  }

  @Test
  void dynamicAllocationFromSparkSubmitIsRefusedToo() {
    System.setProperty("spark.dynamicAllocation.enabled", "true");
    try {
      assertThatThrownBy(() -> JobValidation.check(config()))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("spark.dynamicAllocation.enabled=false");
    } finally {
      System.clearProperty("spark.dynamicAllocation.enabled");
    }
  }

  @Test
  void aTaskGpuAmountOtherThanOneIsRefused() {
    for (String amount : new String[] {"0.5", "2", "one"}) {
      assertThatThrownBy(() -> JobValidation.check(config(
              "spark-conf.spark.executor.resource.gpu.amount", "2",
              "spark-conf.spark.task.resource.gpu.amount", amount)))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("spark.task.resource.gpu.amount")
          .hasMessageContaining("'" + amount + "'")
          .hasMessageContaining("set spark.task.resource.gpu.amount=1");
    }
    assertThatCode(() -> JobValidation.check(config(
            "spark-conf.spark.executor.resource.gpu.amount", "2",
            "spark-conf.spark.task.resource.gpu.amount", "1")))
        .doesNotThrowAnyException();
  }

  @Test
  void executorGpusThatNoTaskAsksForAreRefused() {
    assertThatThrownBy(() -> JobValidation.check(config(
            "spark-conf.spark.executor.resource.gpu.amount", "1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("spark.executor.resource.gpu.amount=1 gives the executors GPUs")
        .hasMessageContaining("set spark.task.resource.gpu.amount=1");
  }
}
