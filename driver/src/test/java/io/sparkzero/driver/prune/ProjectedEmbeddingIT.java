package io.sparkzero.driver.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sparkzero.pruning.ssp.RandomProjection;
import io.sparkzero.pruning.ssp.SspExample;
import io.sparkzero.worker.data.LabeledExample;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;

/**
 * A model layer's embedding projected inside its forward pass ({@link Embedding#projected} on a
 * {@link ModelEmbedding}) against the same layer's activations projected afterwards, on real
 * Spark ({@code local[2]}, two partitions of 300 examples, so that the last batch is partial).
 */
class ProjectedEmbeddingIT {
  private static final int FEATURES = 20;
  private static final int DIMS = 8;
  private static final long SEED = 3;

  @Test
  void aModelLayerProjectedInItsForwardPassEqualsItsActivationsProjectedAfter() throws Exception {
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    ModelSerializer.writeModel(TinyModels.mlp(FEATURES), file, false);
    SparkSession spark = SparkSession.builder().master("local[2]").appName("projected-embedding")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
    try {
      JavaRDD<LabeledExample> examples = JavaSparkContext.fromSparkContext(spark.sparkContext())
          .parallelize(examples(600), 2);
      ModelEmbedding layer = ModelEmbedding.of(spark, file.toByteArray(), "hidden", "m.zip", FEATURES);
      List<SspExample> wide = layer.embed(examples).collect();
      Embedding projected = Embedding.projected(layer, DIMS, SEED);
      assertThat(projected).isInstanceOf(ModelEmbedding.class);
      List<SspExample> narrow = projected.embed(examples).collect();
      RandomProjection after = RandomProjection.of(SEED, TinyModels.HIDDEN_UNITS, DIMS);
      assertThat(narrow).hasSameSizeAs(wide);
      for (int i = 0; i < wide.size(); i++) {
        assertThat(narrow.get(i).id()).isEqualTo(wide.get(i).id());
        assertThat(narrow.get(i).label()).isEqualTo(wide.get(i).label());
        assertThat(narrow.get(i).embedding()).as("example %d", wide.get(i).id())
            .containsExactly(after.apply(wide.get(i).embedding()), within(1e-5f));
      }
      projected.close();
    } finally {
      spark.stop();
    }
  }

  private static List<LabeledExample> examples(int n) {
    Random random = new Random(4);
    List<LabeledExample> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] features = new float[FEATURES];
      for (int f = 0; f < FEATURES; f++) {
        features[f] = random.nextFloat();
      }
      list.add(new LabeledExample(i, i % 10, features));
    }
    return list;
  }
}
