/**
 * DL4J networks as the training engine sees them: one flat parameter vector, one flat gradient
 * vector and the named tensors that tile them ({@link io.sparkzero.worker.model.TrainableModel}),
 * plus the model zoo ({@link io.sparkzero.worker.model.ModelZoo}) and the loader for users' DL4J
 * model files ({@link io.sparkzero.worker.model.ModelLoader}).
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
 * <h2>Layout</h2>
 *
 * Tensor offsets are read from the views each layer's parameter table holds into the flat vector
 * ({@link io.sparkzero.worker.model.TensorLayout}), and checked to tile it exactly. Tensor names
 * are DL4J's own parameter-table keys: {@code <layer index>_<key>} for a MultiLayerNetwork,
 * {@code <vertex name>_<key>} for a ComputationGraph.
 *
 * <p>{@link io.sparkzero.worker.model.Dl4jModel} hides the two DL4J network types behind a small
 * package-private {@code Network} adapter, so one class carries the gradient semantics for both.
 */
package io.sparkzero.worker.model;
