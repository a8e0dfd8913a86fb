package io.sparkzero.driver.prune;

import io.sparkzero.driver.data.LoadedData;
import io.sparkzero.pruning.ExampleScores;
import io.sparkzero.pruning.PruningException;
import io.sparkzero.pruning.PruningMetric;
import io.sparkzero.pruning.PruningOptionSpecs;
import io.sparkzero.pruning.RandomScores;
import io.sparkzero.pruning.ssp.ClassPrototypeScorer;
import io.sparkzero.pruning.ssp.PrototypeScorer;
import io.sparkzero.pruning.ssp.SspExample;
import io.sparkzero.pruning.ssp.SspOptions;
import io.sparkzero.pruning.ssp.SspResult;
import io.sparkzero.pruning.supervised.ProbeScores;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Every scored metric's scores of the training data, on the driver, all in one example order (ids
 * ascending), so row {@code i} of each is the same example.
 *
 * @param byMetric each metric's scores by name, the selecting metric ({@code pruning.metric})
 *     first, then {@code pruning.also-score}'s in the order given
 * @param ssp the clusters behind the ssp scores; null when ssp was not scored
 * @param seconds what each phase of the scoring took, in the order run: {@code embedding} (the
 *     forward pass of every example), one entry per metric that scored ({@code ssp} is its k-means
 *     and assignment, {@code probe runs} el2n's and forgetting's trainings); empty when unknown
 */
record PruneScores(Map<String, ExampleScores> byMetric, SspResult ssp, Map<String, Double> seconds) {

  /** Checks that every metric scored the same examples in the same order. */
  PruneScores {
    ExampleScores first = byMetric.values().iterator().next();
    for (ExampleScores s : byMetric.values()) {
      for (int i = 0; i < s.size(); i++) {
        if (s.size() != first.size() || s.id(i) != first.id(i)) {
          throw new IllegalStateException("metric '" + s.metric() + "' scored other examples, or in another"
              + " order, than '" + first.metric() + "'");
        }
      }
    }
    byMetric = Collections.unmodifiableMap(new LinkedHashMap<>(byMetric));
    seconds = Collections.unmodifiableMap(new LinkedHashMap<>(seconds));
  }

  /** Scores whose phases were not timed. */
  PruneScores(Map<String, ExampleScores> byMetric, SspResult ssp) {
    this(byMetric, ssp, Map.of());
  }

  /**
   * Scores {@code data} with every metric of the settings. The embeddings (ssp,
   * supervised-prototypes) are computed once and shared; so are the probe runs (el2n, forgetting).
   */
  static PruneScores of(SparkSession spark, PruneSettings settings, LoadedData data, ProbeRuns probes) {
    return of(spark, settings, data, probes, null);
  }

  /**
   * As {@link #of(SparkSession, PruneSettings, LoadedData, ProbeRuns)}; {@code training} is the
   * model being trained when train prunes (see {@link Embedding#of}), else null.
   */
  static PruneScores of(SparkSession spark, PruneSettings settings, LoadedData data, ProbeRuns probes,
      TrainingModel training) {
    List<long[]> rows = data.examples().map(e -> new long[] {e.id(), e.label()}).collect();
    long[][] table = rows.stream().sorted(Comparator.comparingLong(r -> r[0])).toArray(long[][]::new);
    long[] ids = Arrays.stream(table).mapToLong(r -> r[0]).toArray();
    int[] labels = Arrays.stream(table).mapToInt(r -> (int) r[1]).toArray();
    List<PruningMetric> metrics = settings.metrics();
    Map<PruningMetric, ExampleScores> scored = new EnumMap<>(PruningMetric.class);
    Map<String, Double> seconds = new LinkedHashMap<>();
    SspResult ssp = settings.needsEmbedding() ? embedded(spark, settings, data, training, scored, seconds) : null;
    if (settings.needsProbes()) {
      long t0 = System.nanoTime();
      ProbeScores probeScores = probes.run(spark, data, ids, labels);
      seconds.put("probe runs", secondsSince(t0));
      if (metrics.contains(PruningMetric.EL2N)) {
        scored.put(PruningMetric.EL2N, probeScores.el2n());
      }
      if (metrics.contains(PruningMetric.FORGETTING)) {
        scored.put(PruningMetric.FORGETTING, probeScores.forgetting());
      }
    }
    if (metrics.contains(PruningMetric.RANDOM)) {
      scored.put(PruningMetric.RANDOM, RandomScores.of(settings.selection().seed(), ids, labels));
    }
    Map<String, ExampleScores> byMetric = new LinkedHashMap<>();
    for (PruningMetric m : metrics) {
      byMetric.put(m.configValue(), scored.get(m));
    }
    return new PruneScores(byMetric, ssp, seconds);
  }

  /** {@code examples} in at least one partition per task slot of the application. */
  private static <T> JavaRDD<T> spread(SparkSession spark, JavaRDD<T> examples) {
    int slots = spark.sparkContext().defaultParallelism();
    return examples.getNumPartitions() < slots ? examples.repartition(slots) : examples;
  }

  private static double secondsSince(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  /** The phases' times for a console line, e.g. {@code "embedding 20.1 s, ssp 6.3 s"}; empty when untimed. */
  String secondsLine() {
    return seconds.entrySet().stream()
        .map(e -> String.format(java.util.Locale.ROOT, "%s %.1f s", e.getKey(), e.getValue()))
        .collect(java.util.stream.Collectors.joining(", "));
  }

  /** The embedding metrics' scores into {@code scored}; ssp's clusters, or null without ssp. */
  private static SspResult embedded(SparkSession spark, PruneSettings settings, LoadedData data,
      TrainingModel training, Map<PruningMetric, ExampleScores> scored, Map<String, Double> seconds) {
    try (Embedding embedding = Embedding.projected(Embedding.of(spark, settings.embedding(), data.numFeatures(),
        training), settings.projectionDims(), settings.selection().seed())) {
      // Each scorer reads the embeddings twice, and two may score: compute them once, on every
      // task slot (a gzipped IDX file loads as one partition).
      JavaRDD<SspExample> embedded = embedding.embed(spread(spark, data.examples()))
          .persist(StorageLevel.MEMORY_AND_DISK());
      try {
        long t0 = System.nanoTime();
        embedded.count(); // the forward pass, on its own, so that its time is known apart from k-means'
        seconds.put("embedding", secondsSince(t0));
        SspResult ssp = null;
        if (settings.metrics().contains(PruningMetric.SSP)) {
          t0 = System.nanoTime();
          ssp = new PrototypeScorer(spark, sspOptions(settings)).score(embedded);
          scored.put(PruningMetric.SSP, ssp.toExampleScores());
          seconds.put(PruningMetric.SSP.configValue(), secondsSince(t0));
        }
        if (settings.metrics().contains(PruningMetric.SUPERVISED_PROTOTYPES)) {
          t0 = System.nanoTime();
          scored.put(PruningMetric.SUPERVISED_PROTOTYPES, new ClassPrototypeScorer(spark).score(embedded));
          seconds.put(PruningMetric.SUPERVISED_PROTOTYPES.configValue(), secondsSince(t0));
        }
        return ssp;
      } catch (IllegalArgumentException e) {
        // The scorers' own checks (k against the examples, zero or NaN embeddings) run on the
        // driver and say what is wrong; they are the job's options or data, not a bug.
        throw new PruningException(PruningOptionSpecs.METRIC_KEY, "cannot score " + data.count()
            + " examples on their embeddings: " + e.getMessage());
      } finally {
        embedded.unpersist(false);
      }
    }
  }

  private static SspOptions sspOptions(PruneSettings settings) {
    long seed = settings.selection().seed();
    return settings.k() > 0 ? SspOptions.defaults(seed).withK(settings.k()) : SspOptions.defaults(seed);
  }

  /** The selecting metric's scores ({@code pruning.metric}): what the kept set follows. */
  ExampleScores scores() {
    return byMetric.values().iterator().next();
  }

  /**
   * How ambiguous each example is, in the scores' order, small = near a boundary: for ssp the gap
   * between its distances to the second-nearest and the nearest centroid. Null for a metric
   * without an ambiguity measure (random, or ssp with a single cluster).
   */
  double[] margins() {
    return ssp == null || ssp.clusterCount() < 2 ? null : ssp.margins();
  }

  /** Example {@code i}'s cluster, or null without ssp's clusters. */
  Integer cluster(int i) {
    return ssp == null ? null : ssp.clusters()[i];
  }
}
