package io.sparkzero.driver.prune;

import io.sparkzero.pruning.PruningOptionSpecs;
import io.sparkzero.pruning.ssp.RandomProjection;
import io.sparkzero.pruning.ssp.SspExample;
import io.sparkzero.sharding.options.ConfigException;
import io.sparkzero.worker.model.OneDnnHelpers;
import io.sparkzero.worker.data.LabeledExample;
import io.sparkzero.worker.nd4j.ReachableOps;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The activations of one layer of a DL4J model file ({@code model:<uri>#<layer>}, a layer name or
 * index). The file's bytes are read once on the driver, checked there (a MultiLayerNetwork, the
 * layer exists, the network takes the data's feature count), then broadcast: executors need not
 * reach the file's file system.
 */
final class ModelEmbedding implements Embedding {

  static {
    ReachableOps.install(); // before any step: see ReachableOpExecutioner
  }
  /** Examples per forward pass: large enough to amortise the call, small enough for any heap. */
  private static final int BATCH_EXAMPLES = 256;

  private final Broadcast<byte[]> model;
  private final int layerIndex;
  private final int projectionDims; // 0: the layer's own width
  private final long projectionSeed;

  private ModelEmbedding(Broadcast<byte[]> model, int layerIndex, int projectionDims, long projectionSeed) {
    this.model = model;
    this.layerIndex = layerIndex;
    this.projectionDims = projectionDims;
    this.projectionSeed = projectionSeed;
  }

  /**
   * This layer's activations, projected to {@code dims} dimensions when wider ({@link
   * RandomProjection} drawn from {@code seed}, as {@link Embedding#projected} does), in the same
   * matrix product batch as the forward pass: the wide activations never become Java arrays.
   */
  ModelEmbedding projected(int dims, long seed) {
    return new ModelEmbedding(model, layerIndex, dims, seed);
  }

  static ModelEmbedding load(SparkSession spark, String spec, int numFeatures) {
    String body = spec.substring(PruningOptionSpecs.MODEL_PREFIX.length());
    int hash = body.lastIndexOf('#');
    String uri = body.substring(0, hash);
    return of(spark, read(spark, uri), body.substring(hash + 1), uri, numFeatures);
  }

  /**
   * The layer {@code layer} of the model file {@code bytes} (named {@code source} in errors),
   * checked against the data's {@code numFeatures}, then broadcast.
   */
  static ModelEmbedding of(SparkSession spark, byte[] bytes, String layer, String source, int numFeatures) {
    MultiLayerNetwork net = restore(bytes, source);
    int index = ModelLayers.index(net, layer, source);
    ModelLayers.checkInput(net, numFeatures, source);
    return new ModelEmbedding(JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(bytes), index,
        0, 0);
  }

  @Override
  public JavaRDD<SspExample> embed(JavaRDD<LabeledExample> examples) {
    Broadcast<byte[]> shared = model;
    int layer = layerIndex;
    int dims = projectionDims;
    long seed = projectionSeed;
    return examples.mapPartitions(part -> embedPartition(part,
        withHelpers(upTo(restore(shared.value(), "broadcast"), layer)), dims, seed));
  }

  @Override
  public void close() {
    model.destroy();
  }

  private static Iterator<SspExample> embedPartition(Iterator<LabeledExample> part, MultiLayerNetwork head,
      int dims, long seed) {
    List<SspExample> out = new ArrayList<>();
    List<LabeledExample> batch = new ArrayList<>(BATCH_EXAMPLES);
    RandomProjection projection = null; // drawn for the layer's width at the first batch
    while (part.hasNext()) {
      batch.add(part.next());
      if (batch.size() == BATCH_EXAMPLES || !part.hasNext()) {
        INDArray flat = flatOutputs(head, batch);
        if (dims > 0 && flat.columns() > dims) {
          if (projection == null) {
            projection = RandomProjection.of(seed, (int) flat.columns(), dims);
          }
          flat = projection.applyAll(flat);
        }
        float[][] rows = flat.toFloatMatrix();
        for (int i = 0; i < rows.length; i++) {
          out.add(new SspExample(batch.get(i).id(), batch.get(i).label(), rows[i]));
        }
        batch.clear();
      }
    }
    return out.iterator();
  }

  /** One row per example: the layer's output flattened (a convolution's maps become one vector). */
  static float[][] activations(MultiLayerNetwork net, int layer, List<LabeledExample> batch) {
    return outputs(upTo(net, layer), batch);
  }

  /**
   * The network's layers {@code 0..layer}, as a network of their own (sharing nothing with {@code
   * net}), so that its {@code output()} is the layer's activations: {@code output()} runs in ND4J's
   * inference workspaces, where {@code feedForwardToLayer} allocates every layer's activations anew
   * (a third of the forward pass's time went to those allocations).
   */
  static MultiLayerNetwork upTo(MultiLayerNetwork net, int layer) {
    int last = net.getnLayers() - 1;
    return layer == last ? net : new TransferLearning.Builder(net).removeLayersFromOutput(last - layer).build();
  }

  /** One row per example: {@code head}'s output flattened (a convolution's maps become one vector). */
  private static float[][] outputs(MultiLayerNetwork head, List<LabeledExample> batch) {
    return flatOutputs(head, batch).toFloatMatrix();
  }

  /** {@code head}'s output for {@code batch}, a float matrix of one row per example. */
  private static INDArray flatOutputs(MultiLayerNetwork head, List<LabeledExample> batch) {
    float[][] features = new float[batch.size()][];
    for (int i = 0; i < features.length; i++) {
      features[i] = batch.get(i).features();
    }
    INDArray input = Nd4j.create(features).castTo(head.getLayerWiseConfigurations().getDataType());
    INDArray out = head.output(input, false);
    long rows = out.size(0);
    return out.reshape('c', rows, out.length() / rows).castTo(DataType.FLOAT);
  }

  /**
   * The network with the CPU layer helpers the training engine puts on its own networks ({@link
   * OneDnnHelpers}): a restored file has none, and its convolutions would take DL4J's slower path.
   */
  private static MultiLayerNetwork withHelpers(MultiLayerNetwork net) {
    if (OneDnnHelpers.enabled()) {
      OneDnnHelpers.install(net, OneDnnHelpers.all());
    }
    return net;
  }

  private static byte[] read(SparkSession spark, String uri) {
    try {
      Path path = new Path(uri);
      FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
      try (InputStream in = fs.open(path)) {
        return in.readAllBytes();
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigException(PruningOptionSpecs.EMBEDDING_KEY, "cannot read the model file " + uri
          + ": " + e.getMessage() + "; give a DL4J model file's URI");
    }
  }

  private static MultiLayerNetwork restore(byte[] bytes, String uri) {
    try {
      return ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes), false);
    } catch (IOException | RuntimeException e) {
      throw new ConfigException(PruningOptionSpecs.EMBEDDING_KEY, "the model file " + uri + " is not a DL4J"
          + " MultiLayerNetwork (ComputationGraph embeddings are not supported yet): " + e.getMessage());
    }
  }
}
