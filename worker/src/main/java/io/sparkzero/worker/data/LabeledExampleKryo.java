package io.sparkzero.worker.data;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * Kryo's serializer of a {@link LabeledExample}: id, label, feature count, features. Kryo's own
 * field serializer cannot set a record's final fields, so the record names this one.
 */
public final class LabeledExampleKryo extends Serializer<LabeledExample> {

  @Override
  public void write(Kryo kryo, Output output, LabeledExample e) {
    output.writeLong(e.id());
    output.writeInt(e.label());
    output.writeInt(e.features().length, true);
    output.writeFloats(e.features());
  }

  @Override
  public LabeledExample read(Kryo kryo, Input input, Class<LabeledExample> type) {
    long id = input.readLong();
    int label = input.readInt();
    int n = input.readInt(true);
    return new LabeledExample(id, label, input.readFloats(n));
  }
}
