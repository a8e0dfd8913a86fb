package io.sparkzero.worker.adv;

import io.sparkzero.worker.concurrent.RankDevice;
import io.sparkzero.sharding.collective.Collectives;
import io.sparkzero.sharding.plan.Range;
import io.sparkzero.worker.data.LocalDataset;
import io.sparkzero.worker.data.Seeds;
import io.sparkzero.worker.model.TrainableModel;
import io.sparkzero.worker.train.StepAugmenter;
import io.sparkzero.worker.train.ZeroTrainer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adds each micro-batch's adversarial copy to it: DisAdv and ConAdv (ALGORITHMS.md section 3).
 *
 * <p>Every adversarial batch follows one rule: step t's batch is attacked with the weights the
 * run held before step {@code max(t − τ, r)}, where r is the pipeline's latest restart at or
 * before t: the epoch's first step, and every step at which a checkpoint resumes (global steps
 * that are multiples of {@code checkpoint.every-steps}); τ = 0 for disadv. With τ = 0 the attack
 * runs on the training thread before the step. With τ ≥ 1, before step t trains the weights are
 * copied and a second thread attacks step t + τ's batch with them while step t trains; at a
 * restart it first (re)attacks the τ batches from t on with those weights. Because the rule fixes
 * the weights and {@link PgdAttack} fixes everything random by (seed, epoch, step, micro-batch,
 * rank), the batches do not depend on timing, and a run resumed from any checkpoint makes the
 * batches the uninterrupted run made: nothing of the pipeline needs saving.
 *
 * <p>The attacker trains nothing: it is an fp32 model of the same configuration ({@link
 * TrainableModel#floatCopy()}) whose parameters are overwritten by each snapshot. Snapshots are
 * held until their attack ends: at most τ + 1 copies of the parameters at once. At stage 3 a
 * snapshot is all-gathered from the ranks' shards before each step (a gather of its own, apart
 * from the step's layer gathers).
 *
 * <p>With {@link AdvOptions#separateBn()} each micro-batch trains as two parts ({@link #parts()}):
 * its clean examples, then its adversarial ones, each normalised by its own batch statistics;
 * the clean part's update of the running statistics counts twice and the adversarial part's not
 * at all ({@link #runningStatsWeight}), so evaluation's statistics follow the clean data alone.
 */
public final class Adversary implements StepAugmenter, AutoCloseable {
  private final AdvOptions options;
  private final PgdAttack attack;
  private final TrainableModel attacker;
  private final long seed;
  private final int rank;
  private final int restartEvery;
  private final ExecutorService thread;
  private final Map<Integer, Future<Made>> pending = new HashMap<>();
  private final List<long[]> used = new ArrayList<>();
  private long attackerVersion = -1;

  /** The adversarial micro-batches of one step, and the global step whose weights made them. */
  private record Made(INDArray[] features, long weightsStep) {}

  /**
   * An adversary for {@code trainer}'s model.
   *
   * @param seed the job's seed; each batch's attack draws from it, the step, the micro-batch and
   *     {@code rank}
   * @param restartEvery the job's {@code checkpoint.every-steps} when it checkpoints, else 0: the
   *     pipeline restarts at the global steps a checkpoint can resume from
   */
  public Adversary(AdvOptions options, ZeroTrainer trainer, long seed, int rank, int restartEvery) {
    if (!options.enabled()) {
      throw new IllegalArgumentException("adv.mode none makes no adversarial examples");
    }
    this.options = options;
    this.attack = new PgdAttack(options.attack());
    this.attacker = trainer.model().floatCopy();
    if (options.weight() != 1f) {
      trainer.model().weightExamplesByLabelSum(); // the adversarial label rows sum to the weight
    }
    this.seed = seed;
    this.rank = rank;
    this.restartEvery = restartEvery;
    int device = RankDevice.current(); // the attacker's arrays go on the rank's GPU
    this.thread = options.staleness() == 0 ? null : Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(() -> {
        RankDevice.use(device);
        r.run();
      }, "conadv-attacker-rank-" + rank);
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public void beforeStep(ZeroTrainer trainer, Collectives collectives, int epoch, int step, CleanBatches clean) {
    long version = (long) epoch * clean.steps() + step;
    float[] weights = weights(trainer, collectives);
    int tau = options.staleness();
    if (tau == 0) {
      pending.put(step, CompletableFuture.completedFuture(make(weights, version, epoch, step, clean)));
      return;
    }
    if (step == clean.firstStep() || (restartEvery > 0 && version % restartEvery == 0)) {
      dropPending();
      for (int s = step; s < Math.min(step + tau, clean.steps()); s++) {
        submit(weights, version, epoch, s, clean);
      }
    }
    if (step + tau < clean.steps()) {
      submit(weights, version, epoch, step + tau, clean);
    }
  }

  /**
   * The full parameters the trainer holds now: its replica (stages 0-2), or at stage 3 its shard
   * and every other rank's, all-gathered on the training thread between steps.
   */
  private static float[] weights(ZeroTrainer trainer, Collectives collectives) {
    float[] weights = new float[Math.toIntExact(trainer.model().numParams())];
    if (trainer.replicated()) {
      trainer.readParams(0, weights, 0, weights.length);
    } else {
      Range shard = trainer.shard();
      trainer.readParams(shard.from(), weights, shard.from(), shard.length());
      collectives.allGather(weights, trainer.plan().shardBounds());
    }
    return weights;
  }

  private void submit(float[] weights, long version, int epoch, int step, CleanBatches clean) {
    pending.put(step, thread.submit(() -> make(weights, version, epoch, step, clean)));
  }

  /** Attacks every micro-batch of {@code step} with {@code weights}, on the calling thread. */
  private Made make(float[] weights, long version, int epoch, int step, CleanBatches clean) {
    if (version != attackerVersion) {
      attacker.setParams(weights);
      attackerVersion = version;
    }
    INDArray[] features = new INDArray[clean.microBatches()];
    for (int micro = 0; micro < features.length; micro++) {
      LocalDataset.Batch batch = clean.batch(step, micro);
      features[micro] = attack.perturb(attacker, batch.features(), batch.labels(),
          batchSeed(epoch, step, micro));
    }
    return new Made(features, version);
  }

  private long batchSeed(int epoch, int step, int micro) {
    return Seeds.mix(seed, epoch, step, micro, rank);
  }

  /** Two with separate batch statistics: the clean examples, then the adversarial ones. */
  @Override
  public int parts() {
    return options.separateBn() ? 2 : 1;
  }

  /** With separate batch statistics, the clean part moves the running statistics alone. */
  @Override
  public float runningStatsWeight(int part) {
    return !options.separateBn() ? 1f : part == 0 ? 2f : 0f;
  }

  @Override
  public LocalDataset.Batch augment(int step, int micro, int part, LocalDataset.Batch clean) {
    if (options.separateBn() && part == 0) {
      return clean;
    }
    Future<Made> future = pending.get(step);
    if (future == null) {
      throw new IllegalStateException("no adversarial batch was made for step " + step);
    }
    Made made;
    try {
      made = future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for the adversarial batch of step " + step, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the attack on step " + step + "'s batch failed: " + e.getCause(),
          e.getCause());
    }
    if (micro == 0) {
      used.add(new long[] {step, made.weightsStep()});
    }
    if (micro == made.features().length - 1) {
      pending.remove(step);
    }
    INDArray adversarial = made.features()[micro].castTo(clean.features().dataType());
    INDArray labels = options.weight() == 1f ? clean.labels() : clean.labels().mul(options.weight());
    if (options.separateBn()) {
      return new LocalDataset.Batch(adversarial, labels);
    }
    return new LocalDataset.Batch(Nd4j.vstack(clean.features(), adversarial),
        Nd4j.vstack(clean.labels(), labels));
  }

  /** Cancels the attacks not yet run; one running ends on its own, its batch unused. */
  private void dropPending() {
    for (Future<Made> f : pending.values()) {
      f.cancel(false);
    }
    pending.clear();
  }

  @Override
  public void endEpoch() {
    List<Future<Made>> running = new ArrayList<>(pending.values());
    dropPending();
    for (Future<Made> f : running) {
      try {
        if (!f.isCancelled()) {
          f.get(); // the running attack ends before the next epoch's start
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | java.util.concurrent.CancellationException e) {
        // a failed attack of a step that will not train: nothing to report
      }
    }
  }

  /**
   * Per trained step, in order: {@code {step in epoch, global step whose weights attacked its
   * batch}} (the weight versions the tests assert).
   */
  public List<long[]> usedWeights() {
    return Collections.unmodifiableList(used);
  }

  @Override
  public void close() {
    endEpoch();
    if (thread != null) {
      thread.shutdownNow();
    }
  }
}
