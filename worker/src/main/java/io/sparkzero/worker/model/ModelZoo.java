package io.sparkzero.worker.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * The named models the training engine can build. All take Fashion-MNIST-shaped input (784 flat
 * features, 10 classes), end in softmax with multi-class cross-entropy, use Xavier init and no
 * regularization, and carry a {@code NoOp} DL4J updater: the engine keeps optimizer state itself.
 *
 * <ul>
 *   <li>{@code fmnist-cnn}: the peers' CNN, 1,663,370 parameters ({@link SequentialModels})
 *   <li>{@code wide-mlp}: the peers' communication-heavy MLP, 20,037,642 parameters
 *   <li>{@code mlp}: 784-64-10, for tests
 *   <li>{@code resnet}: small ResNet with batch norm ({@link ResNetModel})
 *   <li>{@code lk-convnet}: large-kernel depthwise ConvNet ({@link LargeKernelConvNet})
 * </ul>
 */
public final class ModelZoo {

  private static final Map<String, Architecture> ARCHITECTURES = architectures();

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

  /** The architecture behind {@code name}; tests build it with other DL4J updaters. */
  static Architecture architecture(String name) {
    Architecture architecture = ARCHITECTURES.get(name);
    if (architecture == null) {
      throw new IllegalArgumentException(
          "unknown model '" + name + "': known models are " + String.join(", ", names()));
    }
    return architecture;
  }

  private static Map<String, Architecture> architectures() {
    Map<String, Architecture> byName = new LinkedHashMap<>();
    byName.put("fmnist-cnn", SequentialModels::fmnistCnn);
    byName.put("wide-mlp", SequentialModels::wideMlp);
    byName.put("mlp", SequentialModels::smallMlp);
    byName.put("resnet", ResNetModel::create);
    byName.put("lk-convnet", LargeKernelConvNet::create);
    return Collections.unmodifiableMap(byName);
  }
}
