package io.sparkzero.worker.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A twin of a one-input {@link ComputationGraph} that gives the loss gradient with respect to the
 * graph's input, which DL4J's graph computes during backward and then drops.
 *
 * <p>The twin shares the original's parameter array (so it always sees the current weights) and
 * owns its gradient array (so the original's gradients are never written). Its passes run in
 * training mode, as {@code MultiLayerNetwork.calculateGradients} does, and without workspaces:
 * the input's epsilon is read after backward, when workspace memory would already be reused.
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
    conf.setTrainingWorkspaceMode(WorkspaceMode.NONE);
    conf.setInferenceWorkspaceMode(WorkspaceMode.NONE);
    InputGradientGraph twin = new InputGradientGraph(conf);
    twin.init(graph.params(), false);
    return twin;
  }

  /** d loss / d features for one-hot {@code labels}, shaped as {@code features}. */
  synchronized INDArray inputGradient(INDArray features, INDArray labels) {
    try {
      setInputs(features);
      setLabels(labels);
      feedForward(new INDArray[] {features}, true, false);
      calcBackpropGradients(false, false);
      INDArray epsilon = getVertex(input).getEpsilon();
      if (epsilon == null) {
        throw new IllegalStateException("the graph's backward pass left no gradient for its input '" + input + "'");
      }
      return epsilon.dup();
    } finally {
      clear();
    }
  }
}
