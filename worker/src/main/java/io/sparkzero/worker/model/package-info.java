/**
 * DL4J networks as the training engine sees them: one flat parameter vector, one flat gradient
 * vector and the named tensors that tile them ({@link io.sparkzero.worker.model.TrainableModel}),
 * plus the model zoo ({@link io.sparkzero.worker.model.ModelZoo}), the loader for users' DL4J
 * model files ({@link io.sparkzero.worker.model.ModelLoader}) and the layer-at-a-time pass that
 * ZeRO stage 3 needs ({@link io.sparkzero.worker.model.LayerwisePass}).
 *
 * <h2>What DL4J (1.0.0-M2.1) leaves in the gradient view</h2>
 *
 * Found by reading {@code MultiLayerNetwork.computeGradientAndScore}, {@code
 * BaseMultiLayerUpdater.update} and {@code layers.normalization.BatchNormalization}, and pinned by
 * {@code GradientSemanticsTest}:
 *
 * <ul>
 *   <li><b>Trained tensors hold the gradient of the summed loss.</b> The loss functions return
 *       per-example gradients and the layers sum them over the batch, while {@code score()} is the
 *       batch mean. DL4J's updater divides by the batch size before applying the learning rate
 *       ({@code divideByMinibatch}, on by default through {@code miniBatch(true)}). Since we apply
 *       no DL4J updater, {@link io.sparkzero.worker.model.Dl4jModel#computeGradient} divides those
 *       slots itself, so the view holds the gradient of the batch-mean loss, the quantity the
 *       collectives average across ranks.
 *   <li><b>Batch-norm running statistics are parameters updated through the gradient view, not in
 *       place.</b> The forward pass only reads them. The backward pass writes into their slots the
 *       change to subtract: {@code (1 - decay) * (running mean - batch mean)} for the mean, and
 *       {@code log10(std_t) - log10(std_t+1)} for {@code log10stdev} (the builder default after
 *       1.0.0-beta3; {@code var} like the mean when {@code useLogStd(false)}). DL4J excludes these
 *       slots from the minibatch division and gives them a {@code NoOp} updater, so {@code fit}
 *       applies exactly {@code params -= grad} to them. We leave them unscaled and mark them
 *       {@link io.sparkzero.worker.model.ParamTensor.Kind#RUNNING_STAT}: optimizers subtract them
 *       as they are, with no learning rate, momentum or weight decay. The change is a plain
 *       difference, so averaging it across ranks gives the average of the ranks' updates (for the
 *       mean, exactly the update with the global batch mean).
 *   <li>The oneDNN batch-norm helper, when the native build has oneDNN, computes the same
 *       quantities (the running-stat change is derived from its batch mean/variance caches in the
 *       same backward method), so the semantics do not depend on the ND4J classifier.
 * </ul>
 *
 * <h2>Convolutions in training passes</h2>
 *
 * Both training passes ({@link io.sparkzero.worker.model.Dl4jModel#computeGradient} and {@link
 * io.sparkzero.worker.model.LayerwisePass}) arm the convolution helper {@code
 * TrainingPassConvHelper}: the backward takes the pre-activations the forward computed instead of
 * convolving again (the same bits), and the convolution that reads the features computes no input
 * gradient (its weight gradient rounds differently from oneDNN's, within 1e-4 of the largest
 * element, {@code TrainingPassConvHelperTest}). Both passes arm it alike, so they still agree bit
 * for bit; {@code inputGradient}, which the attacks use, is DL4J's.
 *
 * <h2>Layout</h2>
 *
 * Tensor offsets are read from the views each layer's parameter table holds into the flat vector
 * ({@link io.sparkzero.worker.model.TensorLayout}), and checked to tile it exactly. Tensor names
 * are DL4J's own parameter-table keys: {@code <layer index>_<key>} for a MultiLayerNetwork,
 * {@code <vertex name>_<key>} for a ComputationGraph.
 *
 * <p>{@link io.sparkzero.worker.model.Dl4jModel} hides the two DL4J network types behind a small
 * package-private {@code Network} adapter, so one class carries the gradient semantics for both.
 *
 * <h2>Layer at a time ({@link io.sparkzero.worker.model.LayerwisePass})</h2>
 *
 * DL4J's {@code computeGradientAndScore} runs all layers at once on views of one flat parameter
 * vector. ZeRO stage 3 instead gathers each layer's parameters just before it runs and
 * reduce-scatters its gradient as soon as it is final, so the pass re-implements DL4J's loops
 * with hooks between layers and calls only DL4J's per-layer and per-vertex methods, in DL4J's
 * order, on DL4J's own layer objects. {@code LayerwisePassTest} pins the result: gradients and
 * losses bit-identical to {@link io.sparkzero.worker.model.Dl4jModel#computeGradient} for {@code
 * mlp}, {@code fmnist-cnn}, {@code resnet} and {@code lk-convnet}.
 *
 * <ul>
 *   <li><b>What it mirrors.</b> For a MultiLayerNetwork ({@code MultiLayerDriver}), the loops of
 *       {@code ffToLayerActivationsInWs} (input preprocessor, then {@code activate(input, true,
 *       mgr)}) and {@code calcBackpropGradients} ({@code backpropGradient}, then the
 *       preprocessor's {@code backprop}). For a ComputationGraph ({@code GraphDriver}), the loops
 *       of {@code ffToLayerActivationsInWS} and {@code calcBackpropGradients} over {@code
 *       topologicalSortOrder()}: {@code doForward} and {@code setInput} into each consumer (where
 *       a LayerVertex applies its preprocessor), then {@code doBackward} (which backprops the
 *       preprocessor) and DL4J's epsilon hand-off, where a vertex feeding several consumers (a
 *       residual input) gets their epsilons summed in place in reverse topological order, and a
 *       vertex with several inputs (the ElementWise add) hands one epsilon to each.
 *   <li><b>Binding.</b> A unit is pointed at a caller's buffer the way DL4J's {@code instantiate}
 *       and {@code initGradientsView} point it at the flat vectors: the layer's ParamInitializer
 *       {@code init(conf, view, false)} makes the parameter table's views, then {@code
 *       setParamTable} and {@code setParamsViewArray}; {@code setBackpropGradientsViewArray} makes
 *       the gradient views through {@code getGradientsFromFlattened}. BaseLayer, ConvolutionLayer,
 *       DepthwiseConvolution2DLayer and BatchNormalization read parameters only from that table
 *       and write gradients only to those views, overwriting every element, so gradient buffers
 *       need no zeroing.
 *   <li><b>Workspaces.</b> Every call gets {@code LayerWorkspaceMgr.noWorkspaces()}; the
 *       network's workspace modes are left as configured (they only choose where DL4J's own
 *       passes allocate, not what they compute). Activations are plain arrays held by the layers
 *       until the pass ends, when every layer or vertex is cleared as ComputationGraph does.
 * </ul>
 *
 * DL4J behaviour the pass has to respect:
 *
 * <ul>
 *   <li>The output layer never runs forward in training: DL4J only sets its input and computes
 *       its pre-activations inside {@code backpropGradient}. Its forward hooks still run, around
 *       nothing.
 *   <li>The score is computed after the backward pass, re-reading the output layer's weights
 *       ({@code computeScore} redoes its pre-output), plus a regularization term summed over
 *       every layer's parameters. The pass computes the loss in the output layer's backward
 *       window and each unit's regularization term in its own backward window, and adds them in
 *       DL4J's order, so the score stays bit-identical without any layer's parameters outliving
 *       its window.
 *   <li>BatchNormalization reads its running mean and log10-std again in backward, to write the
 *       running-stat change: a unit's parameters must be bound for its backward as well.
 *   <li>BaseLayer checks each new parameter or gradient view against the length of the current
 *       parameter table, so a layer cannot be bound to nothing. A released unit is parked on a
 *       shared NaN-filled buffer of the largest unit's length, and the pass refuses to run a unit
 *       whose buffers are released, naming the hook that should have bound them.
 *   <li>DL4J also backprops through the first layer's preprocessor and then drops the result;
 *       the pass skips that. ComputationGraph decides whether its backward uses workspaces from
 *       the <i>inference</i> workspace mode; irrelevant here, since the pass uses none.
 * </ul>
 */
package io.sparkzero.worker.model;
