package io.sparkzero.worker.adv;

import java.io.Serializable;

/**
 * A job's adversarial training: the mode, the staleness τ of ConAdv's weights and the attack.
 *
 * @param mode none, conadv or disadv
 * @param tau ConAdv's staleness in steps, {@code >= 0}; 0 attacks with the current weights, as
 *     disadv does
 * @param attack the PGD attack; null when the mode is none
 * @param weight the adversarial examples' weight in the loss against the clean ones' 1, {@code > 0}
 * @param separateBn train the clean and the adversarial examples of a micro-batch in two passes,
 *     each normalised by its own batch statistics, with only the clean pass moving the running
 *     statistics that evaluation uses (AdvProp's auxiliary batch norm, as the ConAdv authors' code
 *     does); false: one pass over both
 */
public record AdvOptions(AdvMode mode, int tau, AttackOptions attack, float weight,
    boolean separateBn) implements Serializable {

  /** No adversarial examples. */
  public static final AdvOptions NONE = new AdvOptions(AdvMode.NONE, 0, null);

  /** Adversarial examples weighing as much as the clean ones. */
  public AdvOptions(AdvMode mode, int tau, AttackOptions attack) {
    this(mode, tau, attack, 1f);
  }

  /** As above, weighted, the clean and adversarial examples in one pass. */
  public AdvOptions(AdvMode mode, int tau, AttackOptions attack, float weight) {
    this(mode, tau, attack, weight, false);
  }

  public AdvOptions {
    if (!(weight > 0) || !Float.isFinite(weight)) {
      throw new IllegalArgumentException("adv.weight = " + weight + "; allowed: a finite value > 0");
    }
    if (tau < 0) {
      throw new IllegalArgumentException("adv.tau = " + tau + "; allowed: 0 or more");
    }
    if (mode == AdvMode.NONE && separateBn) {
      throw new IllegalArgumentException("adv.separate-bn needs adv.mode conadv or disadv");
    }
    if (mode != AdvMode.NONE && attack == null) {
      throw new IllegalArgumentException("adv.mode " + mode.optionName() + " needs an attack");
    }
  }

  /** Whether steps train on adversarial examples. */
  public boolean enabled() {
    return mode != AdvMode.NONE;
  }

  /**
   * How many steps older than the step it trains in the attacker's weights are: τ for conadv, 0
   * for disadv.
   */
  public int staleness() {
    return mode == AdvMode.CONADV ? tau : 0;
  }
}
