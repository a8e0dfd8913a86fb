package io.sparkzero.worker.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * The named models the training engine can build. All take Fashion-MNIST-shaped input (784 flat
 * features); the classifiers end in softmax over 10 classes with multi-class cross-entropy, the
 * encoder in 784 sigmoid pixels. All use Xavier init and no regularization, and carry a {@code
 * NoOp} DL4J updater: the engine keeps optimizer state itself.
 *
 * <ul>
 *   <li>{@code fmnist-cnn}: the peers' CNN, 1,663,370 parameters ({@link SequentialModels})
 *   <li>{@code wide-mlp}: the peers' communication-heavy MLP, 20,037,642 parameters;
 *       {@code wide-mlp:<width>} is the same shape with another hidden width, and
 *       {@code wide-mlp:<width>x<layers>} with another number of hidden layers too (memory
 *       experiments: {@code wide-mlp:8192} has 73.6 million parameters)
 *   <li>{@code mlp}: 784-64-10, for tests
 *   <li>{@code resnet}: small ResNet with batch norm ({@link ResNetModel})
 *   <li>{@code lk-convnet}: large-kernel depthwise ConvNet ({@link LargeKernelConvNet})
 *   <li>{@code fmnist-encoder}: convolutional auto-encoder for {@code train.objective=reconstruct},
 *       with a 128-wide layer named {@code embedding} for pruning ({@link SequentialModels})
 * </ul>
 */
public final class ModelZoo {

  private static final Map<String, Architecture> ARCHITECTURES = architectures();
  private static final String WIDE_MLP_PREFIX = "wide-mlp:";
  /** Width 46,000 is about 2.1 billion parameters, the most one flat float vector can index. */
  private static final int MAX_WIDE_MLP_WIDTH = 46_000;
  private static final int MAX_WIDE_MLP_LAYERS = 64;

  private ModelZoo() {}

  /**
   * Builds a zoo model with freshly initialized parameters.
   *
   * @param name one of {@link #names()}
   * @param seed weight-initialization seed: equal seeds give equal parameters
   * @throws IllegalArgumentException for an unknown name, listing the known ones
   */
  public static TrainableModel build(String name, long seed) {
    return Dl4jModel.wrap(name, architecture(name).create(seed, new NoOp()));
  }

  /** The known model names, in a stable order. */
  public static List<String> names() {
    return List.copyOf(ARCHITECTURES.keySet());
  }

  /** Whether {@code name} is a zoo model: one of {@link #names()}, or {@code wide-mlp:<width>}. */
  public static boolean isKnown(String name) {
    try {
      architecture(name);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The architecture behind {@code name}; tests build it with other DL4J updaters. */
  static Architecture architecture(String name) {
    if (name.endsWith(TorchInit.SUFFIX)) {
      return TorchInit.of(name, architecture(name.substring(0, name.length()
          - TorchInit.SUFFIX.length())));
    }
    if (name.startsWith(WIDE_MLP_PREFIX)) {
      int[] shape = wideMlpShape(name);
      return (seed, updater) -> SequentialModels.wideMlp(seed, updater, shape[0], shape[1]);
    }
    Architecture architecture = ARCHITECTURES.get(name);
    if (architecture == null) {
      throw new IllegalArgumentException(
          "unknown model '" + name + "': known models are " + String.join(", ", names()));
    }
    return architecture;
  }

  /** {width, hidden layers} of {@code wide-mlp:<width>} or {@code wide-mlp:<width>x<layers>}. */
  private static int[] wideMlpShape(String name) {
    String[] parts = name.substring(WIDE_MLP_PREFIX.length()).split("x", -1);
    try {
      int width = Integer.parseInt(parts[0]);
      int layers = parts.length == 2 ? Integer.parseInt(parts[1]) : 2;
      if (parts.length <= 2 && width >= 1 && width <= MAX_WIDE_MLP_WIDTH && layers >= 1
          && layers <= MAX_WIDE_MLP_LAYERS) {
        return new int[] {width, layers};
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("model '" + name + "': expected wide-mlp:<width> or"
        + " wide-mlp:<width>x<hidden layers>, width in [1, " + MAX_WIDE_MLP_WIDTH + "], layers in"
        + " [1, " + MAX_WIDE_MLP_LAYERS + "], as in wide-mlp:8192 or wide-mlp:2048x8");
  }

  private static Map<String, Architecture> architectures() {
    Map<String, Architecture> byName = new LinkedHashMap<>();
    byName.put("fmnist-cnn", SequentialModels::fmnistCnn);
    byName.put("wide-mlp", SequentialModels::wideMlp);
    byName.put("mlp", SequentialModels::smallMlp);
    byName.put("resnet", ResNetModel::create);
    byName.put("lk-convnet", LargeKernelConvNet::create);
    byName.put("fmnist-encoder", SequentialModels::fmnistEncoder);
    return Collections.unmodifiableMap(byName);
  }
}
