package io.sparkzero.worker.model;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@link Network} over a {@link ComputationGraph} with one input and one output. */
final class GraphAdapter implements Network {

  private final ComputationGraph graph;
  private InputGradientGraph inputGradients;

  GraphAdapter(ComputationGraph graph) {
    ComputationGraphConfiguration conf = graph.getConfiguration();
    if (conf.getNetworkInputs().size() != 1 || conf.getNetworkOutputs().size() != 1) {
      throw new IllegalArgumentException(
          "only graphs with one input and one output are supported, got inputs "
              + conf.getNetworkInputs()
              + " and outputs "
              + conf.getNetworkOutputs());
    }
    this.graph = graph;
  }

  @Override
  public INDArray flatParams() {
    return graph.params();
  }

  @Override
  public INDArray flatGradients() {
    // DL4J allocates the gradient view on the first backward pass; we may hand it out earlier.
    // Not before: ZeRO stages 2 and 3 never need the full vector.
    if (graph.getGradientsViewArray() == null) {
      graph.initGradientsView();
    }
    return graph.getGradientsViewArray();
  }

  @Override
  public double computeGradientAndScore(INDArray features, INDArray labels) {
    graph.setInputs(features);
    graph.setLabels(labels);
    graph.computeGradientAndScore();
    return graph.score();
  }

  @Override
  public INDArray output(INDArray features) {
    return graph.outputSingle(false, features);
  }

  /**
   * Through a twin over the same parameters ({@link InputGradientGraph}), made on first use, with
   * the oneDNN helpers where the graph has them (without, its convolutions take DL4J's slower
   * Java-side path).
   */
  @Override
  public INDArray inputGradient(INDArray features, INDArray labels) {
    if (inputGradients == null) {
      inputGradients = InputGradientGraph.twinOf(graph);
      if (java.util.Arrays.stream(graph.getLayers()).anyMatch(l -> l.getHelper() != null)) {
        OneDnnHelpers.install(inputGradients, OneDnnHelpers.all());
      }
    }
    return inputGradients.inputGradient(features, labels);
  }

  @Override
  public org.deeplearning4j.nn.api.NeuralNetwork floatCopy() {
    org.deeplearning4j.nn.conf.ComputationGraphConfiguration conf = graph.getConfiguration().clone();
    conf.setDataType(org.nd4j.linalg.api.buffer.DataType.FLOAT);
    ComputationGraph copy = new ComputationGraph(conf);
    copy.init();
    return copy;
  }

  @Override
  public List<NamedLayer> layers() {
    List<NamedLayer> out = new ArrayList<>();
    for (GraphVertex vertex : graph.getVertices()) {
      if (vertex.hasLayer()) {
        out.add(new NamedLayer(vertex.getVertexName(), vertex.getLayer()));
      }
    }
    return out;
  }

  @Override
  public int numFeatures() {
    ComputationGraphConfiguration conf = graph.getConfiguration();
    String input = conf.getNetworkInputs().get(0);
    for (int index : graph.topologicalSortOrder()) {
      String name = graph.getVertices()[index].getVertexName();
      List<String> inputs = conf.getVertexInputs().get(name);
      if (inputs != null
          && inputs.contains(input)
          && conf.getVertices().get(name) instanceof LayerVertex vertex) {
        return InputShapes.featuresOf(vertex.getPreProcessor(), vertex.getLayerConf().getLayer());
      }
    }
    throw new IllegalArgumentException(
        "no layer reads the graph input '" + input + "': cannot tell the number of features");
  }

  @Override
  public int numClasses() {
    return InputShapes.classesOf(graph.getOutputLayer(0).conf().getLayer());
  }

  @Override
  public void save(OutputStream out) throws IOException {
    ModelSerializer.writeModel(graph, out, false);
  }

  @Override
  public long allocatedGradientElements() {
    return graph.getGradientsViewArray() == null ? 0 : graph.getGradientsViewArray().length();
  }

  @Override
  public org.deeplearning4j.nn.api.NeuralNetwork dl4j() {
    return graph;
  }

  @Override
  public LayerwiseDriver layerwiseDriver() {
    return new GraphDriver(graph);
  }

  @Override
  public org.deeplearning4j.nn.api.NeuralNetwork converted(
      org.nd4j.linalg.api.buffer.DataType type) {
    return graph.convertDataType(type);
  }
}
