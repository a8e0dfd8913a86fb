package io.sparkzero.worker.train;

import io.sparkzero.sharding.plan.PartitionOptions;
import io.sparkzero.sharding.plan.PartitionPlan;
import io.sparkzero.sharding.plan.TensorSpan;
import io.sparkzero.worker.model.ParamTensor;
import io.sparkzero.worker.model.TrainableModel;
import java.util.ArrayList;
import java.util.List;

/** Builds the {@link PartitionPlan} of a model: its tensors, grouped into layers by name. */
public final class ModelPartition {
  private ModelPartition() {}

  /** The plan for {@code worldSize} ranks. */
  public static PartitionPlan plan(TrainableModel model, int worldSize, ZeroOptions options) {
    return PartitionPlan.create(Math.toIntExact(model.numParams()), spans(model.tensors()), worldSize,
        new PartitionOptions(options.alignElements(), options.bucketElements()));
  }

  /**
   * The tensors as spans. DL4J names a tensor {@code <layer>_<key>} and its keys contain no
   * underscore, so the text before the last underscore names the layer; a new layer starts
   * wherever that prefix changes.
   */
  static List<TensorSpan> spans(List<ParamTensor> tensors) {
    List<TensorSpan> spans = new ArrayList<>();
    int layer = -1;
    String previous = null;
    for (ParamTensor t : tensors) {
      String prefix = layerOf(t.name());
      if (!prefix.equals(previous)) {
        layer++;
        previous = prefix;
      }
      spans.add(new TensorSpan(t.name(), layer, Math.toIntExact(t.offset()),
          Math.toIntExact(t.length())));
    }
    return spans;
  }

  private static String layerOf(String tensorName) {
    int cut = tensorName.lastIndexOf('_');
    return cut < 0 ? tensorName : tensorName.substring(0, cut);
  }
}
