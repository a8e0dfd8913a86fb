package io.sparkzero.driver.progress;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.sparkzero.worker.train.StepMetrics;
import java.util.function.ToDoubleFunction;
import org.apache.spark.SparkEnv;
import org.apache.spark.metrics.source.Source;

/**
 * The training figures as a Spark metrics source (Dropwizard) named {@code spark-zero} on the
 * driver: whatever sinks the job configures ({@code spark.metrics.conf.*}: the Prometheus
 * servlet, JMX, CSV, Graphite) report them with Spark's own, under {@code
 * <app id>.driver.spark-zero.<name>}. Gauges read the newest step rank 0 reported; NaN until
 * there is one.
 */
final class TrainingSource implements Source {
  static final String NAME = "spark-zero";

  private final MetricRegistry registry = new MetricRegistry();
  private final Counter skippedSteps = registry.counter("skipped_steps");
  private final Counter recoveries = registry.counter("recoveries");
  private volatile StepMetrics latest;
  private volatile double testAccuracy = Double.NaN;
  private volatile double epochSamplesPerSecond = Double.NaN;

  TrainingSource() {
    gauge("epoch", m -> m.epoch() + 1);
    gauge("step", m -> m.step() + 1);
    gauge("global_step", m -> m.globalStep() + 1);
    gauge("loss", StepMetrics::loss);
    gauge("lr", StepMetrics::learningRate);
    gauge("grad_norm", StepMetrics::gradNorm);
    gauge("samples_per_s", StepMetrics::samplesPerSecond);
    gauge("step_ms", m -> m.stepNanos() / 1e6);
    gauge("compute_ms", m -> m.times().computeNanos() / 1e6);
    gauge("comm_ms", m -> m.times().commNanos() / 1e6);
    gauge("optimizer_ms", m -> m.times().optimizerNanos() / 1e6);
    gauge("loss_scale", StepMetrics::lossScale);
    gauge("heap_used_bytes", StepMetrics::heapUsedBytes);
    registry.register("test_accuracy", (Gauge<Double>) () -> testAccuracy);
    registry.register("epoch_samples_per_s", (Gauge<Double>) () -> epochSamplesPerSecond);
  }

  @Override
  public String sourceName() {
    return NAME;
  }

  @Override
  public MetricRegistry metricRegistry() {
    return registry;
  }

  void step(StepMetrics m) {
    latest = m;
    if (m.skipped()) {
      skippedSteps.inc();
    }
  }

  void epoch(double samplesPerSecond) {
    epochSamplesPerSecond = samplesPerSecond;
  }

  void evaluated(double accuracy) {
    testAccuracy = accuracy;
  }

  void recovered() {
    recoveries.inc();
  }

  /** Registers with the driver's metrics system; false where there is none (no SparkEnv). */
  boolean register() {
    SparkEnv env = SparkEnv.get();
    if (env == null) {
      return false;
    }
    env.metricsSystem().registerSource(this);
    return true;
  }

  void unregister() {
    SparkEnv env = SparkEnv.get();
    if (env != null) {
      env.metricsSystem().removeSource(this);
    }
  }

  private void gauge(String name, ToDoubleFunction<StepMetrics> figure) {
    registry.register(name, (Gauge<Double>) () -> {
      StepMetrics m = latest;
      return m == null ? Double.NaN : figure.applyAsDouble(m);
    });
  }
}
