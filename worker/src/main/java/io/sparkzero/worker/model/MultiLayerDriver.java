package io.sparkzero.worker.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link LayerwiseDriver} over a {@link MultiLayerNetwork}: the loops of its {@code
 * ffToLayerActivationsInWs} (layers 0 .. n-2, each after its input preprocessor; the output layer
 * only gets its preprocessed input) and {@code calcBackpropGradients} (layers n-1 .. 0, each
 * epsilon then through the layer's preprocessor), and the score of {@code computeGradientAndScore}.
 *
 * <p>Memory follows DL4J's training workspaces when the network's training workspace mode is on
 * (the default): activations in one workspace for the whole pass, each layer's working memory in
 * a workspace reset per layer, activation gradients in two workspaces used by alternate layers, so
 * after the first steps a pass allocates nothing. The workspaces have this driver's own names.
 * The hooks between layers run inside those scopes: what they allocate must scope out of
 * workspaces (the buffers they bind are the caller's, outside any workspace).
 */
final class MultiLayerDriver implements LayerwiseDriver {
  private static final String ACTIVATIONS = "SZ_LAYERWISE_ACTIVATIONS";
  private static final String WORKING = "SZ_LAYERWISE_WORKING_MEM";
  private static final String GRAD_EVEN = "SZ_LAYERWISE_ACT_GRAD_1";
  private static final String GRAD_ODD = "SZ_LAYERWISE_ACT_GRAD_2";

  private final MultiLayerNetwork net;
  private final LayerWorkspaceMgr forwardMgr;
  private final LayerWorkspaceMgr evenMgr;
  private final LayerWorkspaceMgr oddMgr;

  MultiLayerDriver(MultiLayerNetwork net) {
    MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
    if (conf.getBackpropType() == BackpropType.TruncatedBPTT) {
      throw new IllegalArgumentException("truncated BPTT networks cannot run layer by layer");
    }
    if (!(net.getOutputLayer() instanceof IOutputLayer)) {
      throw new IllegalArgumentException(
          "the last layer is a "
              + net.getOutputLayer().getClass().getSimpleName()
              + ", not an output layer: no loss to backpropagate");
    }
    this.net = net;
    if (conf.getTrainingWorkspaceMode() == WorkspaceMode.NONE) {
      this.forwardMgr = LayerWorkspaceMgr.noWorkspaces();
      this.evenMgr = forwardMgr;
      this.oddMgr = forwardMgr;
    } else {
      int layers = conf.getConfs().size();
      WorkspaceConfiguration all = config(LearningPolicy.FIRST_LOOP, 0, 0.05);
      WorkspaceConfiguration working =
          config(LearningPolicy.OVER_TIME, 2 * (layers + conf.getInputPreProcessors().size()), 0.02);
      WorkspaceConfiguration grads = config(LearningPolicy.OVER_TIME, layers, 0.02);
      this.forwardMgr = LayerWorkspaceMgr.builder()
          .with(ArrayType.INPUT, ACTIVATIONS, all)
          .with(ArrayType.ACTIVATIONS, ACTIVATIONS, all)
          .with(ArrayType.FF_WORKING_MEM, WORKING, working)
          .with(ArrayType.RNN_FF_LOOP_WORKING_MEM, WORKING, working)
          .build();
      this.evenMgr = backwardMgr(GRAD_EVEN, all, working, grads);
      this.oddMgr = backwardMgr(GRAD_ODD, all, working, grads);
    }
  }

  private static LayerWorkspaceMgr backwardMgr(String gradients, WorkspaceConfiguration all,
      WorkspaceConfiguration working, WorkspaceConfiguration grads) {
    return LayerWorkspaceMgr.builder()
        .with(ArrayType.ACTIVATIONS, WORKING, working) // a layer's own pre-outputs in backward
        .with(ArrayType.INPUT, ACTIVATIONS, all)
        .with(ArrayType.ACTIVATION_GRAD, gradients, grads)
        .with(ArrayType.FF_WORKING_MEM, WORKING, working)
        .with(ArrayType.BP_WORKING_MEM, WORKING, working)
        .with(ArrayType.RNN_FF_LOOP_WORKING_MEM, WORKING, working)
        .with(ArrayType.RNN_BP_LOOP_WORKING_MEM, WORKING, working)
        .build();
  }

  /** A workspace that learns its size ({@code learning}) and is reset at each scope's end. */
  static WorkspaceConfiguration config(LearningPolicy learning, int cycles,
      double overallocation) {
    return WorkspaceConfiguration.builder()
        .initialSize(0)
        .overallocationLimit(overallocation)
        .policyLearning(learning)
        .cyclesBeforeInitialization(cycles)
        .policyReset(ResetPolicy.BLOCK_LEFT)
        .policySpill(SpillPolicy.REALLOCATE)
        .policyAllocation(AllocationPolicy.OVERALLOCATE)
        .build();
  }

  @Override
  public double forwardBackward(INDArray features, INDArray labels, Windows windows) {
    net.setInput(features); // the network holds its batch as after computeGradientAndScore
    net.setLabels(labels);
    net.clearLayerMaskArrays();
    Layer[] layers = net.getLayers();
    int batchSize = (int) features.size(0);
    try (MemoryWorkspace activations = forwardMgr.notifyScopeEntered(ArrayType.ACTIVATIONS)) {
      forward(features, batchSize, layers, windows);
      return backward(labels, batchSize, layers, windows);
    } finally {
      for (Layer layer : layers) {
        layer.clear();
      }
    }
  }

  private void forward(INDArray features, int batchSize, Layer[] layers, Windows windows) {
    int last = layers.length - 1;
    INDArray activations = features;
    for (int i = 0; i <= last; i++) {
      try (MemoryWorkspace working = forwardMgr.notifyScopeEntered(ArrayType.FF_WORKING_MEM)) {
        InputPreProcessor pre = net.getLayerWiseConfigurations().getInputPreProcess(i);
        if (pre != null) {
          activations = pre.preProcess(activations, batchSize, forwardMgr);
        }
        windows.beforeForward(layers[i]);
        if (i < last) {
          activations = layers[i].activate(activations, true, forwardMgr);
        } else {
          layers[i].setInput(activations, forwardMgr);
        }
        windows.afterForward(layers[i]);
      }
    }
  }

  /**
   * Layers n-1 .. 0. Layer i's activation gradient workspace stays open until layer i-1 has read
   * its epsilon, so the two alternate and each is closed one layer late, as DL4J does.
   */
  private double backward(INDArray labels, int batchSize, Layer[] layers, Windows windows) {
    int last = layers.length - 1;
    IOutputLayer output = (IOutputLayer) layers[last];
    output.setLabels(labels);
    double loss = Double.NaN;
    INDArray epsilon = null;
    MemoryWorkspace outer = Nd4j.getMemoryManager().getCurrentWorkspace();
    MemoryWorkspace closeNext = null;
    try {
      for (int i = last; i >= 0; i--) {
        LayerWorkspaceMgr mgr = i % 2 == 0 ? evenMgr : oddMgr;
        MemoryWorkspace gradients = mgr.notifyScopeEntered(ArrayType.ACTIVATION_GRAD);
        try (MemoryWorkspace working = mgr.notifyScopeEntered(ArrayType.BP_WORKING_MEM)) {
          gradients.setPreviousWorkspace(outer);
          working.setPreviousWorkspace(outer);
          windows.beforeBackward(layers[i]);
          Pair<Gradient, INDArray> pair = layers[i].backpropGradient(epsilon, mgr);
          if (i == last) {
            loss = output.computeScore(0.0, true, mgr);
          }
          windows.afterBackward(layers[i]);
          epsilon = pair.getSecond();
          InputPreProcessor pre = net.getLayerWiseConfigurations().getInputPreProcess(i);
          if (pre != null && i > 0) { // DL4J backprops layer 0's preprocessor too, then drops it
            epsilon = pre.backprop(epsilon, batchSize, mgr);
          }
        } finally {
          if (closeNext != null) {
            closeNext.close();
          }
          closeNext = gradients;
        }
      }
    } finally {
      if (closeNext != null) {
        closeNext.close();
      }
    }
    return loss;
  }
}
