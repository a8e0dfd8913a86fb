package io.sparkzero.worker.adv;

import java.util.Locale;

/** {@code adv.mode}: whether and how steps train on adversarial examples too. */
public enum AdvMode {
  /** Clean batches only. */
  NONE,
  /** ConAdv: the batch of step t is attacked with the weights of step t − τ, on a second thread. */
  CONADV,
  /** DisAdv, the sequential baseline: attack with the current weights, then train. */
  DISADV;

  /** The option value, e.g. {@code conadv}. */
  public String optionName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The mode named {@code text}, or null when there is none. */
  public static AdvMode named(String text) {
    for (AdvMode m : values()) {
      if (m.optionName().equals(text.trim().toLowerCase(Locale.ROOT))) {
        return m;
      }
    }
    return null;
  }
}
