package io.sparkzero.worker.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.impl.InputVertex;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A twin of a one-input {@link ComputationGraph} that gives the loss gradient with respect to the
 * graph's input, which DL4J's graph computes during backward and then drops.
 *
 * <p>The twin shares the original's parameter array (so it always sees the current weights) and
 * owns its gradient array (so the original's gradients are never written). Its passes run in
 * training mode, as {@code MultiLayerNetwork.calculateGradients} does, and in workspaces, so each
 * call reuses the memory of the last: without them every pass allocated its activations afresh
 * in native memory, which only a garbage collection gave back (a {@code resnet} evaluation grew to
 * 24 GB). The input's gradient lives in a workspace that backward closes before it returns, so the
 * twin's input vertex copies it out the moment backward hands it over ({@link CapturingInput}).
 */
final class InputGradientGraph extends ComputationGraph {
  private final String input;

  private InputGradientGraph(ComputationGraphConfiguration conf) {
    super(conf);
    this.input = conf.getNetworkInputs().get(0);
  }

  /** A twin of {@code graph} over the same parameter array. */
  static InputGradientGraph twinOf(ComputationGraph graph) {
    ComputationGraphConfiguration conf = graph.getConfiguration().clone();
    conf.setTrainingWorkspaceMode(WorkspaceMode.ENABLED);
    conf.setInferenceWorkspaceMode(WorkspaceMode.ENABLED);
    InputGradientGraph twin = new InputGradientGraph(conf);
    twin.init(graph.params(), false);
    GraphVertex plain = twin.getVertex(twin.input);
    CapturingInput capturing = new CapturingInput(twin, plain, conf.getDataType());
    twin.vertices[plain.getVertexIndex()] = capturing;
    twin.verticesMap.put(twin.input, capturing);
    return twin;
  }

  /** d loss / d features for one-hot {@code labels}, shaped as {@code features}. */
  synchronized INDArray inputGradient(INDArray features, INDArray labels) {
    try {
      setInputs(features);
      setLabels(labels);
      CapturingInput capturing = (CapturingInput) getVertex(input);
      capturing.captured = null;
      computeGradientAndScore(); // clears every vertex's epsilon at its end; the copy stays
      INDArray epsilon = capturing.captured;
      capturing.captured = null;
      if (epsilon == null) {
        throw new IllegalStateException("the graph's backward pass left no gradient for its input '" + input + "'");
      }
      return epsilon;
    } finally {
      clear();
    }
  }

  /**
   * The graph's input vertex, but keeping a copy, outside every workspace, of the gradient that
   * backward sets on it (backward sets it while the gradient's workspace is still open), where the
   * graph's end-of-pass clearing does not reach.
   */
  private static final class CapturingInput extends InputVertex {
    private INDArray captured;

    CapturingInput(ComputationGraph graph, GraphVertex plain, DataType dataType) {
      super(graph, plain.getVertexName(), plain.getVertexIndex(), plain.getOutputVertices(),
          dataType);
    }

    @Override
    public void setEpsilon(INDArray epsilon) {
      INDArray kept = epsilon == null || !epsilon.isAttached() ? epsilon : epsilon.detach();
      captured = kept;
      super.setEpsilon(kept);
    }
  }
}
