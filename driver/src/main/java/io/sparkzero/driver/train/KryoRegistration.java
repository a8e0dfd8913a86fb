package io.sparkzero.driver.train;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import io.sparkzero.pruning.ssp.SspKryo;
import io.sparkzero.worker.data.LabeledExample;
import io.sparkzero.worker.data.LabeledExampleKryo;
import io.sparkzero.worker.train.EpochResult;
import io.sparkzero.worker.train.StepTimes;
import org.apache.spark.serializer.KryoRegistrator;

/**
 * Registers the job's data classes with Spark's Kryo serializer. Records get an explicit
 * serializer: Kryo's field serializer cannot set a record's final fields.
 */
public final class KryoRegistration implements KryoRegistrator {

  @Override
  public void registerClasses(Kryo kryo) {
    kryo.register(float[].class);
    kryo.register(LabeledExample.class, new LabeledExampleKryo());
    // Rank reports are few and small: Java serialization handles records and their nesting.
    kryo.register(RankReport.class, new JavaSerializer());
    kryo.register(EpochResult.class, new JavaSerializer());
    kryo.register(StepTimes.class, new JavaSerializer());
    SspKryo.register(kryo); // prune's embeddings and scores
  }
}
