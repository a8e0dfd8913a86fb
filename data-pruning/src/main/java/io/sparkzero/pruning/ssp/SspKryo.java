package io.sparkzero.pruning.ssp;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * Registers the records SSP moves between executors and the driver with Spark's Kryo serializer.
 * Kryo's field serializer cannot set a record's final fields, so each gets an explicit serializer;
 * a Spark application that uses Kryo calls {@link #register} from its registrator.
 */
public final class SspKryo {
  private SspKryo() {}

  /**
   * Registers {@link SspExample}, the per-example score the executors send back, and the k-NN
   * check's training rows and neighbour lists, and the scorer's cached unit examples should they
   * spill to disk (Java serialization: records, and lists sent once per partition).
   */
  public static void register(Kryo kryo) {
    kryo.register(SspExample.class, new SspExampleSerializer());
    kryo.register(ScoredExample.class, new ScoredExampleSerializer());
    kryo.register(KnnAccuracy.Row.class, new JavaSerializer());
    kryo.register(Neighbours.class, new JavaSerializer());
    kryo.register(UnitExample.class, new JavaSerializer());
  }

  /** id, label, embedding length, embedding. */
  static final class SspExampleSerializer extends Serializer<SspExample> {
    @Override
    public void write(Kryo kryo, Output output, SspExample e) {
      output.writeLong(e.id());
      output.writeInt(e.label());
      output.writeInt(e.embedding().length, true);
      output.writeFloats(e.embedding());
    }

    @Override
    public SspExample read(Kryo kryo, Input input, Class<SspExample> type) {
      long id = input.readLong();
      int label = input.readInt();
      return new SspExample(id, label, input.readFloats(input.readInt(true)));
    }
  }

  /** id, label, cluster, score, second score. */
  static final class ScoredExampleSerializer extends Serializer<ScoredExample> {
    @Override
    public void write(Kryo kryo, Output output, ScoredExample e) {
      output.writeLong(e.id());
      output.writeInt(e.label());
      output.writeInt(e.cluster());
      output.writeDouble(e.score());
      output.writeDouble(e.secondScore());
    }

    @Override
    public ScoredExample read(Kryo kryo, Input input, Class<ScoredExample> type) {
      return new ScoredExample(input.readLong(), input.readInt(), input.readInt(), input.readDouble(),
          input.readDouble());
    }
  }
}
