package io.sparkzero.worker.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleSupplier;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.convolution.Convolution;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's oneDNN convolution helper with two savings for the training passes of this project
 * ({@link LayerwisePass} and {@link Dl4jModel#computeGradient}), which {@link #during} arms:
 *
 * <ul>
 *   <li><b>The forward's pre-activations are kept for the backward.</b> DL4J's {@code
 *       ConvolutionLayer.backpropGradient} convolves a second time to get the pre-activations it
 *       backpropagates the activation through. Its only cache ({@code CacheMode}) keeps them in a
 *       workspace that DL4J's other passes do not reset with it, so a later pass could read
 *       another batch's values. Armed, the forward's call copies its result into a buffer this
 *       helper owns, and the backward's call for the same input array returns that copy: the bits
 *       the second convolution would compute, from the same oneDNN primitive on the same arrays.
 *   <li><b>No input gradient for a layer that reads the network's input.</b> Nothing in training
 *       uses the gradient of the features, and oneDNN's {@code conv2d_bp} always computes it with
 *       the weight gradient. Armed, such a layer computes only its weight and bias gradients:
 *       im2col in its own layout, then one GEMM per example (the example's output gradient times
 *       its patches), and returns an input gradient of NaN, which DL4J drops. The weight
 *       gradient's sums run in the GEMMs' order, not oneDNN's: a different rounding from the
 *       unarmed helper, the same in every armed pass. {@link TrainableModel#inputGradient}, which
 *       the adversarial attacks use, is not armed. (One GEMM over the whole batch, as DL4J's
 *       built-in path does it, needs im2col to write a transposed layout and the output gradient
 *       copied; on {@code fmnist-cnn}'s first layer that was slower than oneDNN's.)
 * </ul>
 *
 * <p>Unarmed, as in inference and {@code inputGradient}, the helper is DL4J's. The kept buffer,
 * one pre-activation of the layer at the batch size last seen, stays allocated between passes,
 * outside any workspace. A subclass, not a wrapper, because DL4J's layer treats an {@code
 * MKLDNNConvHelper} differently from other helpers (a layer without bias). One thread uses it: the
 * one training the model (the ConAdv attacker works on its own copy of the model, {@code
 * Adversary}).
 */
final class TrainingPassConvHelper extends MKLDNNConvHelper {
  private final boolean readsNetworkInput;
  private boolean armed;
  private INDArray keptFor; // the input whose pre-activations the buffer holds; null: none
  private INDArray kept;
  private long convolutions;
  private long inputGradients;

  /**
   * @param readsNetworkInput the layer's input is the network's (features), not another layer's
   */
  TrainingPassConvHelper(DataType dataType, boolean readsNetworkInput) {
    super(dataType);
    this.readsNetworkInput = readsNetworkInput;
  }

  /**
   * Runs {@code pass}, a training forward and backward over {@code layers}, with their helpers of
   * this class armed.
   */
  static double during(List<Network.NamedLayer> layers, DoubleSupplier pass) {
    List<TrainingPassConvHelper> helpers = new ArrayList<>();
    for (Network.NamedLayer named : layers) {
      if (named.layer().getHelper() instanceof TrainingPassConvHelper helper) {
        helpers.add(helper);
      }
    }
    helpers.forEach(TrainingPassConvHelper::arm);
    try {
      return pass.getAsDouble();
    } finally {
      helpers.forEach(TrainingPassConvHelper::disarm);
    }
  }

  private void arm() {
    armed = true;
    keptFor = null;
  }

  private void disarm() {
    armed = false;
    keptFor = null;
  }

  @Override
  public INDArray preOutput(INDArray input, INDArray weights, INDArray bias, int[] kernel,
      int[] strides, int[] pad, ConvolutionLayer.AlgoMode mode, ConvolutionLayer.FwdAlgo fwdAlgo,
      ConvolutionMode convolutionMode, int[] dilation, CNN2DFormat format,
      LayerWorkspaceMgr workspaceMgr) {
    if (armed && keptFor != null && keptFor == input) {
      keptFor = null; // the backward's call: once, then the backward overwrites the buffer
      return kept;
    }
    convolutions++;
    INDArray z = super.preOutput(input, weights, bias, kernel, strides, pad, mode, fwdAlgo,
        convolutionMode, dilation, format, workspaceMgr);
    if (armed && z != null) {
      keep(z);
      keptFor = input;
    }
    return z;
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray weights, INDArray bias,
      INDArray delta, int[] kernel, int[] strides, int[] pad, INDArray biasGradView,
      INDArray weightGradView, IActivation afn, ConvolutionLayer.AlgoMode mode,
      ConvolutionLayer.BwdFilterAlgo bwdFilterAlgo, ConvolutionLayer.BwdDataAlgo bwdDataAlgo,
      ConvolutionMode convolutionMode, int[] dilation, CNN2DFormat format,
      LayerWorkspaceMgr workspaceMgr) {
    if (!armed || !readsNetworkInput || format != CNN2DFormat.NCHW
        || input.dataType() != DataType.FLOAT || weights.dataType() != DataType.FLOAT) {
      inputGradients++;
      return super.backpropGradient(input, weights, bias, delta, kernel, strides, pad,
          biasGradView, weightGradView, afn, mode, bwdFilterAlgo, bwdDataAlgo, convolutionMode,
          dilation, format, workspaceMgr);
    }
    Pair<Gradient, INDArray> weightsOnly = weightGradientOnly(input, delta, kernel, strides, pad,
        biasGradView, weightGradView, convolutionMode, dilation, workspaceMgr);
    if (weightsOnly != null) {
      return weightsOnly;
    }
    inputGradients++;
    return super.backpropGradient(input, weights, bias, delta, kernel, strides, pad, biasGradView,
        weightGradView, afn, mode, bwdFilterAlgo, bwdDataAlgo, convolutionMode, dilation, format,
        workspaceMgr);
  }

  /**
   * The weight and bias gradients (im2col, a GEMM per example), without the input gradient; null
   * where the weight gradient is not one c-order block the GEMMs can write in place.
   */
  private static Pair<Gradient, INDArray> weightGradientOnly(INDArray input, INDArray delta,
      int[] kernel, int[] strides, int[] pad, INDArray biasGradView, INDArray weightGradView,
      ConvolutionMode convolutionMode, int[] dilation, LayerWorkspaceMgr workspaceMgr) {
    long batch = input.size(0);
    long inDepth = input.size(1);
    long outDepth = delta.size(1);
    long k = inDepth * kernel[0] * kernel[1];
    INDArray weightGrad2d = Shape.newShapeNoCopy(weightGradView, new long[] {outDepth, k}, false);
    if (weightGrad2d == null) {
      return null; // not one c-order block: oneDNN's path writes it where it is
    }
    long outH = delta.size(2);
    long outW = delta.size(3);
    int kH = kernel[0];
    int kW = kernel[1];
    boolean same = convolutionMode == ConvolutionMode.Same;
    if (same) {
      pad = ConvolutionUtils.getSameModeTopLeftPadding(new int[] {(int) outH, (int) outW},
          new int[] {(int) input.size(2), (int) input.size(3)}, kernel, strides, dilation);
    }
    // Patches in im2col's own order, [batch, inDepth, kH, kW, outH, outW]: each example's
    // [inDepth kH kW, outH outW] block is contiguous, as is its delta, [outDepth, outH outW].
    long p = outH * outW;
    INDArray col = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, DataType.FLOAT,
        new long[] {batch, inDepth, kH, kW, outH, outW}, 'c');
    Convolution.im2col(input, kH, kW, strides[0], strides[1], pad[0], pad[1], dilation[0],
        dilation[1], same, col);
    INDArray patches = col.reshape('c', batch, k, p);
    INDArray deltas = delta.reshape('c', batch, outDepth, p);
    for (long n = 0; n < batch; n++) {
      Nd4j.gemm(deltas.slice(n), patches.slice(n), weightGrad2d, false, true, 1.0,
          n == 0 ? 0.0 : 1.0);
    }
    Gradient gradient = new DefaultGradient();
    if (biasGradView != null) {
      deltas.sum(biasGradView, 0, 2);
      gradient.setGradientFor(ConvolutionParamInitializer.BIAS_KEY, biasGradView);
    }
    gradient.setGradientFor(ConvolutionParamInitializer.WEIGHT_KEY, weightGradView, 'c');
    INDArray notComputed = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD,
        input.dataType(), input.shape(), 'c');
    notComputed.assign(Float.NaN);
    return new Pair<>(gradient, notComputed);
  }

  boolean readsNetworkInput() {
    return readsNetworkInput;
  }

  /** How many times this helper has convolved in a forward (its calls that computed), for tests. */
  long convolutions() {
    return convolutions;
  }

  /** How many backward calls computed the input gradient (oneDNN's), for tests. */
  long inputGradients() {
    return inputGradients;
  }

  private void keep(INDArray z) {
    if (kept == null || kept.dataType() != z.dataType() || kept.ordering() != 'c'
        || !Arrays.equals(kept.shape(), z.shape())) {
      try (MemoryWorkspace none = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
        kept = Nd4j.createUninitializedDetached(z.dataType(), z.shape());
      }
    }
    kept.assign(z);
  }
}
