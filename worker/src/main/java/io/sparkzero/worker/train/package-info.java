/**
 * One rank's training engine at a chosen ZeRO stage ({@link io.sparkzero.worker.train.ZeroTrainer}).
 *
 * <h2>Shape</h2>
 *
 * The stage is a policy chosen once, when the trainer is built: a {@code StageStep} holds the
 * rank's model state where that stage puts it and runs one step over it, top to bottom.
 *
 * <ul>
 *   <li>{@code ReplicaStep}, stages 0 and 1, where every rank holds all parameters: one step
 *       with two policies, the gradient's {@code Reduction} (all-reduce at stage 0,
 *       reduce-scatter then all-gather of the parameters at stage 1) and the {@code Replica} that
 *       holds the parameters. {@code Fp32Replica} lets DL4J's own forward and backward fill its
 *       full native gradient vector, and the collectives and the optimizer work on DL4J's native
 *       vectors in place, through {@link io.sparkzero.sharding.collective.FloatBlock}s, so no
 *       copy of the model exists. {@code HalfPrecisionReplica} runs a 16-bit ({@code HALF})
 *       network: micro-batch gradients are summed and reduced in fp32, the optimizer updates an
 *       fp32 master ({@code HalfReplica}).
 *   <li>{@code LayerwiseStep}, stages 2 and 3: DL4J runs one layer at a time
 *       ({@link io.sparkzero.worker.model.LayerwisePass}); hooks between layers gather parameters
 *       ({@code HeldParams.Gathered}, stage 3) and reduce-scatter each layer's gradient into the rank's
 *       gradient shard as soon as it is final ({@code LayerGradients}), on a {@code CommAgent}
 *       thread so communication overlaps compute. Shards live in native memory, the optimizer
 *       state where {@code offload.optimizer} puts it (heap, host memory or NVMe files), and at
 *       stage 3 the parameter shard where {@code offload.params} puts it. It takes 16-bit models
 *       itself: its layer buffers get fp32 twins for the collectives.
 * </ul>
 *
 * {@link io.sparkzero.worker.train.EpochRunner} builds each step's micro-batches and hands them to
 * the stage through a {@link io.sparkzero.worker.train.StepAugmenter}, which may add rows: ConAdv's
 * adversarial examples ({@code io.sparkzero.worker.adv}) enter that way, so no stage has an
 * adversarial path of its own.
 *
 * Every stage updates its region with a {@link io.sparkzero.worker.optim.ShardStepper}, which
 * streams parameters and gradients through two small arrays and folds the 1/N of the gradient
 * average into that pass.
 *
 * <h2>State is explicit</h2>
 *
 * A stage-3 layer is {@code SHARDED}, {@code GATHERING} or {@code GATHERED} ({@code
 * HeldParams.Gathered.State}); gathered buffers are exactly one layer long, taken when the gather
 * is queued and given back when the layer is released. {@code StepBuffers} places every layer buffer
 * at the offset the planner's layout gave it in one slab ({@code sharding.plan.BufferLayout}) and
 * counts what a run really held, reported next to the planner's prediction
 * ({@link io.sparkzero.worker.train.ModelStateBytes}).
 *
 * <h2>Ordering</h2>
 *
 * Collectives must be issued in the same order on every rank. The training thread decides the
 * order (layer by layer, prefetches first) and the comm agent executes operations strictly in
 * submission order, so ranks match up without any extra coordination. At most two layer gradients
 * exist at once: the training thread waits for the agent before starting a third.
 *
 * <h2>Every stage adds in the same order</h2>
 *
 * A step's result does not depend on the stage. Stage 0's all-reduce uses the plan's shards as
 * the ring's segments, so each gradient element is added over the ranks in the order stage 1's
 * reduce-scatter (and stage 2's and 3's per-layer reduce-scatters) add it; the norms behind
 * clipping, LARS and LAMB are summed per shard and the shards' sums added in shard order ({@link
 * io.sparkzero.worker.optim.StatPieces}), whether one rank holds every shard (stage 0) or each its
 * own. Each rank runs the same layers on the same shapes at every stage, so all four stages end a
 * run with the same parameters, bit for bit, on any CPU: the parity tests compare them exactly.
 * Gradient accumulation is the exception: stages 2 and 3 reduce each micro-batch as its layers
 * finish (to keep the gradient sharded), stages 0 and 1 add the micro-batches first, so the two
 * pairs differ by float rounding.
 */
package io.sparkzero.worker.train;
