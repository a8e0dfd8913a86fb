package io.sparkzero.worker.data;

import com.esotericsoftware.kryo.DefaultSerializer;
import java.io.Serializable;

/**
 * One training or test example as it travels from a data source to a rank.
 *
 * @param id stable identifier (its index in the source), used for ordering and reports
 * @param label class index in {@code [0, numClasses)}; -1 for an example of unlabelled data,
 *     which only {@code prune}'s label-free metrics read (training refuses such data up front)
 * @param features flattened input, already scaled (pixels in {@code [0, 1]})
 */
@DefaultSerializer(LabeledExampleKryo.class)
public record LabeledExample(long id, int label, float[] features) implements Serializable {}
