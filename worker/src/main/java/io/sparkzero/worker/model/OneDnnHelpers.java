package io.sparkzero.worker.model;

import java.lang.reflect.Field;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNBatchNormHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNSubsamplingHelper;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Puts DL4J's CPU layer helpers ({@code MKLDNNConvHelper}, {@code MKLDNNSubsamplingHelper},
 * {@code MKLDNNBatchNormHelper}) on the layers of an initialized network.
 *
 * <p>DL4J 1.0.0-M2.1 never enables them itself: {@code BaseMKLDNNHelper.mklDnnEnabled()} looks up
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment}, a class that moved to {@code
 * org.nd4j.linalg.cpu.nativecpu.bindings}, so every layer falls back to DL4J's Java-side im2col and
 * GEMM. The helpers themselves only call libnd4j's {@code conv2d}, {@code maxpool2d} and {@code
 * batchnorm} ops (with their {@code _bp} ops), which run on every CPU build: through oneDNN in the
 * {@code onednn} classifiers, through libnd4j's own C++ code in the others.
 *
 * <p>A helper goes only on the exact DL4J layer classes it was written for (not on subclasses such
 * as depthwise or 1-D convolution, which bypass it or reshape around it), on float layers, and only
 * where the layer has no helper yet. Convolutions get {@link TrainingPassConvHelper}, DL4J's
 * oneDNN helper with this project's two savings for training passes. A layer whose helper throws
 * falls back to the built-in path by itself (DL4J's {@code cudnnAllowFallback}, on by default).
 * The parameter and gradient layout is unchanged: the helpers write into the same gradient
 * views.
 */
public final class OneDnnHelpers {

  /** The layer kinds a helper can be put on. */
  public enum Kind {
    CONVOLUTION,
    SUBSAMPLING,
    BATCH_NORM
  }

  /** System property choosing when {@link Dl4jModel#wrap} installs the helpers. */
  public static final String PROPERTY = "sparkzero.onednn.helpers";

  private static volatile Boolean oneDnnBuild;

  private OneDnnHelpers() {}

  /**
   * Whether the helpers can run here: the ND4J backend is the CPU one and libnd4j helpers are
   * allowed ({@code Nd4j.getEnvironment().helpersAllowed()}).
   */
  public static boolean available() {
    try {
      String backend =
          Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend");
      return "CPU".equalsIgnoreCase(backend) && Nd4j.getEnvironment().helpersAllowed();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  /**
   * Whether the loaded libnd4j was built with oneDNN (the {@code onednn} classifiers of {@code
   * nd4j-native}): its build information lists {@code HAVE_ONEDNN}.
   */
  public static boolean oneDnnBuild() {
    Boolean cached = oneDnnBuild;
    if (cached == null) {
      boolean found;
      try {
        String info = NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo();
        found = info != null && info.contains("HAVE_ONEDNN");
      } catch (RuntimeException | LinkageError e) {
        found = false;
      }
      oneDnnBuild = cached = found;
    }
    return cached;
  }

  /**
   * Whether {@link Dl4jModel#wrap} puts the helpers on the networks it wraps. System property
   * {@value #PROPERTY}: {@code auto} (the default) where {@link #available()} and {@link
   * #oneDnnBuild()}, since without oneDNN libnd4j's own convolution is no faster than DL4J's
   * built-in path; {@code on} wherever {@link #available()}; {@code off} never.
   */
  public static boolean enabled() {
    String mode = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
    return switch (mode) {
      case "off", "false" -> false;
      case "on", "true" -> available();
      default -> available() && oneDnnBuild();
    };
  }

  /** {@link #install(NeuralNetwork, Set)} for a model wrapped by {@link Dl4jModel}. */
  public static int install(TrainableModel model, Set<Kind> kinds) {
    if (!(model instanceof Dl4jModel dl4j)) {
      return 0;
    }
    return install(dl4j.network().dl4j(), kinds);
  }

  /**
   * Puts a helper on every layer of {@code network} of the given kinds that has none.
   *
   * @return how many layers got one; 0 where {@link #available()} is false
   */
  public static int install(NeuralNetwork network, Set<Kind> kinds) {
    Layer[] layers;
    if (network instanceof MultiLayerNetwork net) {
      layers = net.getLayers();
    } else if (network instanceof ComputationGraph graph) {
      layers = graph.getLayers();
    } else {
      return 0;
    }
    if (!available()) {
      return 0;
    }
    int installed = 0;
    for (Layer layer : layers) {
      installed += install(layer, kinds, readsNetworkInput(network, layer));
    }
    return installed;
  }

  /** Whether {@code layer}'s input is the network's own: layer 0, or a graph layer fed by inputs. */
  private static boolean readsNetworkInput(NeuralNetwork network, Layer layer) {
    if (network instanceof MultiLayerNetwork net) {
      return net.getLayers().length > 0 && net.getLayers()[0] == layer;
    }
    ComputationGraph graph = (ComputationGraph) network;
    for (GraphVertex vertex : graph.getVertices()) {
      if (vertex.hasLayer() && vertex.getLayer() == layer) {
        VertexIndices[] inputs = vertex.getInputVertices();
        if (inputs == null || inputs.length == 0) {
          return false;
        }
        for (VertexIndices input : inputs) {
          if (!graph.getVertices()[input.getVertexIndex()].isInputVertex()) {
            return false;
          }
        }
        return true;
      }
    }
    return false;
  }

  /** All three kinds. */
  public static Set<Kind> all() {
    return EnumSet.allOf(Kind.class);
  }

  private static int install(Layer layer, Set<Kind> kinds, boolean readsNetworkInput) {
    if (layer.getHelper() != null) {
      return 0;
    }
    DataType type = layer.params() != null ? layer.params().dataType() : DataType.FLOAT;
    Class<?> c = layer.getClass();
    if (c == ConvolutionLayer.class && kinds.contains(Kind.CONVOLUTION) && type == DataType.FLOAT) {
      return setHelper(ConvolutionLayer.class, layer, new TrainingPassConvHelper(type, readsNetworkInput));
    }
    if (c == SubsamplingLayer.class && kinds.contains(Kind.SUBSAMPLING)) {
      PoolingType pooling =
          ((org.deeplearning4j.nn.conf.layers.SubsamplingLayer) layer.conf().getLayer())
              .getPoolingType();
      if (pooling == PoolingType.MAX || pooling == PoolingType.AVG) {
        return setHelper(SubsamplingLayer.class, layer, new MKLDNNSubsamplingHelper(type));
      }
      return 0;
    }
    if (c == BatchNormalization.class && kinds.contains(Kind.BATCH_NORM) && type == DataType.FLOAT
        && !((org.deeplearning4j.nn.conf.layers.BatchNormalization) layer.conf().getLayer())
            .isLockGammaBeta()) {
      return setHelper(BatchNormalization.class, layer, new MKLDNNBatchNormHelper(type));
    }
    return 0;
  }

  private static int setHelper(Class<?> owner, Layer layer, Object helper) {
    try {
      Field field = owner.getDeclaredField("helper");
      field.setAccessible(true);
      field.set(layer, helper);
      return 1;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return 0;
    }
  }
}
