package io.sparkzero.driver.data;

import io.sparkzero.worker.data.LabeledExample;
import org.apache.spark.api.java.JavaRDD;

/**
 * A data source loaded for training: the examples and what the model needs to know about them.
 * The RDD is not persisted; the caller persists and repartitions it into the data shards.
 *
 * @param examples the good examples
 * @param numFeatures features per example
 * @param numClasses labels lie in {@code [0, numClasses)}
 * @param count number of examples in {@code examples}
 * @param badRecords what was skipped (empty under {@link BadRecordPolicy#FAIL})
 */
public record LoadedData(JavaRDD<LabeledExample> examples, int numFeatures, int numClasses,
    long count, BadRecordReport badRecords) {}
