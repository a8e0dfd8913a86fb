package io.sparkzero.worker.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link LayerwiseDriver} over a {@link ComputationGraph} with one input and one output layer: the
 * loops of its {@code ffToLayerActivationsInWS} and {@code calcBackpropGradients} over the
 * topological order, on the graph's own vertices.
 *
 * <p>Forward: each vertex's {@code doForward}, its output handed to every consumer with {@code
 * setInput} (a LayerVertex applies its input preprocessor there); the output layer is skipped, as
 * DL4J excludes it, having received its input from its producer. Backward, in reverse order: {@code
 * doBackward} (which also backprops the preprocessor); the epsilons go to the producers, and a
 * vertex that feeds several consumers gets their sum, added in place in the order the consumers
 * run, exactly as DL4J does. Then the vertices are cleared.
 *
 * <p>Memory, when the graph's training workspace mode is on (the default): the activations and
 * the activation gradients of the whole pass in one workspace, each vertex's working memory (and,
 * in the backward, the pre-outputs a layer computes again) in a workspace reset per vertex, so
 * after the first steps a pass allocates nothing. The gradients share the activations' workspace,
 * not two alternating ones as in {@link MultiLayerDriver}, because a graph's epsilon can wait
 * several vertices for its producer (a skip connection's). Without workspaces every pass left
 * its arrays to the garbage collector: a {@code resnet} rank grew to several times its working
 * set before a collection freed them.
 */
final class GraphDriver implements LayerwiseDriver {
  private static final String ACTIVATIONS = "SZ_GRAPH_PASS_ACTIVATIONS";
  private static final String WORKING = "SZ_GRAPH_PASS_WORKING_MEM";

  private final ComputationGraph graph;
  private final GraphVertex outputVertex;
  private final LayerWorkspaceMgr forwardMgr;
  private final LayerWorkspaceMgr backwardMgr;

  GraphDriver(ComputationGraph graph) {
    if (graph.getConfiguration().getBackpropType() == BackpropType.TruncatedBPTT) {
      throw new IllegalArgumentException("truncated BPTT networks cannot run layer by layer");
    }
    String output = graph.getConfiguration().getNetworkOutputs().get(0);
    this.outputVertex = graph.getVertex(output);
    if (!outputVertex.hasLayer() || !(outputVertex.getLayer() instanceof IOutputLayer)) {
      throw new IllegalArgumentException(
          "graph output '" + output + "' is not an output layer: no loss to backpropagate");
    }
    this.graph = graph;
    if (graph.getConfiguration().getTrainingWorkspaceMode() == WorkspaceMode.NONE) {
      this.forwardMgr = LayerWorkspaceMgr.noWorkspaces();
      this.backwardMgr = forwardMgr;
    } else {
      int vertices = graph.getVertices().length;
      WorkspaceConfiguration all =
          MultiLayerDriver.config(LearningPolicy.FIRST_LOOP, 0, 0.05);
      WorkspaceConfiguration working =
          MultiLayerDriver.config(LearningPolicy.OVER_TIME, 2 * vertices, 0.02);
      this.forwardMgr = LayerWorkspaceMgr.builder()
          .with(ArrayType.INPUT, ACTIVATIONS, all)
          .with(ArrayType.ACTIVATIONS, ACTIVATIONS, all)
          .with(ArrayType.FF_WORKING_MEM, WORKING, working)
          .with(ArrayType.RNN_FF_LOOP_WORKING_MEM, WORKING, working)
          .build();
      this.backwardMgr = LayerWorkspaceMgr.builder()
          .with(ArrayType.ACTIVATIONS, WORKING, working) // a layer's own pre-outputs again
          .with(ArrayType.INPUT, ACTIVATIONS, all)
          .with(ArrayType.ACTIVATION_GRAD, ACTIVATIONS, all)
          .with(ArrayType.FF_WORKING_MEM, WORKING, working)
          .with(ArrayType.BP_WORKING_MEM, WORKING, working)
          .with(ArrayType.RNN_FF_LOOP_WORKING_MEM, WORKING, working)
          .with(ArrayType.RNN_BP_LOOP_WORKING_MEM, WORKING, working)
          .build();
    }
  }

  @Override
  public double forwardBackward(INDArray features, INDArray labels, Windows windows) {
    graph.setInputs(features); // graph.batchSize(), which preprocessors get, reads these
    graph.setLabels(labels);
    graph.clearLayerMaskArrays();
    GraphVertex[] vertices = graph.getVertices();
    int[] order = graph.topologicalSortOrder();
    try (MemoryWorkspace pass = forwardMgr.notifyScopeEntered(ArrayType.ACTIVATIONS)) {
      forward(features, vertices, order, forwardMgr, windows);
      return backward(labels, vertices, order, backwardMgr, windows);
    } finally {
      for (GraphVertex vertex : vertices) {
        vertex.clear();
      }
    }
  }

  private void forward(
      INDArray features,
      GraphVertex[] vertices,
      int[] order,
      LayerWorkspaceMgr mgr,
      Windows windows) {
    for (int index : order) {
      GraphVertex vertex = vertices[index];
      Layer layer = vertex.hasLayer() ? vertex.getLayer() : null;
      if (vertex == outputVertex) {
        windows.beforeForward(layer);
        windows.afterForward(layer);
        continue;
      }
      INDArray out;
      if (vertex.isInputVertex()) {
        out = features;
      } else {
        if (layer != null) {
          windows.beforeForward(layer);
        }
        try (MemoryWorkspace working = mgr.notifyScopeEntered(ArrayType.FF_WORKING_MEM)) {
          out = vertex.doForward(true, mgr);
        }
        if (layer != null) {
          windows.afterForward(layer);
        }
      }
      VertexIndices[] consumers = vertex.getOutputVertices();
      if (consumers != null) {
        for (VertexIndices consumer : consumers) {
          vertices[consumer.getVertexIndex()].setInput(consumer.getVertexEdgeNumber(), out, mgr);
        }
      }
    }
  }

  private double backward(
      INDArray labels,
      GraphVertex[] vertices,
      int[] order,
      LayerWorkspaceMgr mgr,
      Windows windows) {
    IOutputLayer output = (IOutputLayer) outputVertex.getLayer();
    output.setLabels(labels);
    double loss = Double.NaN;
    boolean[] epsilonSet = new boolean[vertices.length];
    for (int i = order.length - 1; i >= 0; i--) {
      GraphVertex vertex = vertices[order[i]];
      if (vertex.isInputVertex()) {
        continue;
      }
      Layer layer = vertex.hasLayer() ? vertex.getLayer() : null;
      if (layer != null) {
        windows.beforeBackward(layer);
      }
      Pair<Gradient, INDArray[]> pair;
      try (MemoryWorkspace working = mgr.notifyScopeEntered(ArrayType.BP_WORKING_MEM)) {
        pair = vertex.doBackward(false, mgr);
        if (vertex == outputVertex) {
          layer.setMaskArray(null);
          loss = output.computeScore(0.0, true, mgr);
        }
      }
      if (layer != null) {
        windows.afterBackward(layer);
      }
      passEpsilons(vertex, pair.getSecond(), vertices, epsilonSet);
    }
    return loss;
  }

  /** DL4J's epsilon hand-off: the first consumer's epsilon is set, later ones added in place. */
  private static void passEpsilons(
      GraphVertex vertex, INDArray[] epsilons, GraphVertex[] vertices, boolean[] epsilonSet) {
    VertexIndices[] producers = vertex.getInputVertices();
    if (producers == null) {
      return;
    }
    int j = 0;
    for (VertexIndices producer : producers) {
      GraphVertex from = vertices[producer.getVertexIndex()];
      if (epsilonSet[from.getVertexIndex()]) {
        INDArray current = from.getEpsilon();
        if (current != null) {
          from.setEpsilon(current.addi(epsilons[j++]));
        }
      } else {
        from.setEpsilon(epsilons[j++]);
      }
      epsilonSet[from.getVertexIndex()] = true;
    }
  }
}
