package io.sparkzero.worker.model;

import java.util.SplittableRandom;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * PyTorch's default initialisation of convolution and linear layers, for comparing runs with the
 * PyTorch peer on equal terms: weights and biases alike drawn uniformly from {@code ±1/sqrt(fan
 * in)} (PyTorch's {@code kaiming_uniform_(a=sqrt(5))} and its bias rule), where the zoo's default
 * is DL4J's Xavier normal weights and zero biases. Chosen by the suffix {@value #SUFFIX} on a zoo
 * name built from plain layer stacks ({@code fmnist-cnn:torch-init}).
 */
final class TorchInit {
  static final String SUFFIX = ":torch-init";

  private TorchInit() {}

  /** {@code architecture} with its layers re-drawn as PyTorch draws them, from {@code seed}. */
  static Architecture of(String name, Architecture architecture) {
    return (seed, updater) -> {
      NeuralNetwork built = architecture.create(seed, updater);
      if (!(built instanceof MultiLayerNetwork net)) {
        throw new IllegalArgumentException("model '" + name + "': " + SUFFIX + " applies to the"
            + " zoo's plain layer stacks (fmnist-cnn, wide-mlp, mlp), not to graph networks");
      }
      redraw(net, seed);
      return net;
    };
  }

  private static void redraw(MultiLayerNetwork net, long seed) {
    SplittableRandom random = new SplittableRandom(seed ^ 0x7043_4E5F_1A17L);
    for (int i = 0; i < net.getnLayers(); i++) {
      Object conf = net.getLayerWiseConfigurations().getConf(i).getLayer();
      long fanIn;
      if (conf instanceof ConvolutionLayer conv) {
        fanIn = conv.getNIn() * conv.getKernelSize()[0] * conv.getKernelSize()[1];
      } else if (conf instanceof FeedForwardLayer dense) {
        fanIn = dense.getNIn();
      } else {
        continue; // pooling, activation: no parameters
      }
      double bound = 1 / Math.sqrt(fanIn);
      for (String key : new String[] {"W", "b"}) {
        INDArray param = net.getLayer(i).paramTable().get(key);
        if (param == null) {
          continue;
        }
        float[] values = new float[(int) param.length()];
        for (int j = 0; j < values.length; j++) {
          values[j] = (float) ((2 * random.nextDouble() - 1) * bound);
        }
        param.assign(Nd4j.create(values, param.shape(), param.ordering()));
      }
    }
  }
}
