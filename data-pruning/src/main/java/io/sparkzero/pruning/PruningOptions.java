package io.sparkzero.pruning;

/**
 * The choices of one selection, checked on creation against {@link PruningOptionSpecs}: a bad
 * value raises a {@link PruningException} naming the option, the value and what is allowed.
 *
 * @param fraction share of the examples kept, in (0, 1]
 * @param keep which end of the ranking to keep
 * @param classFloor share, in [0, 1], of a class's random-pruning quota round(fraction x n_c) it
 *     keeps whatever its scores
 * @param abundantPerClass examples per class from which AUTO counts the data as abundant
 * @param seed seed of the tie-breaking order among equal scores
 */
public record PruningOptions(double fraction, KeepPolicy keep, double classFloor, long abundantPerClass,
    long seed) {

  public PruningOptions {
    PruningOptionSpecs.check(PruningOptionSpecs.FRACTION, fraction);
    PruningOptionSpecs.check(PruningOptionSpecs.KEEP, keep);
    PruningOptionSpecs.check(PruningOptionSpecs.CLASS_FLOOR, classFloor);
    PruningOptionSpecs.check(PruningOptionSpecs.ABUNDANT_PER_CLASS, abundantPerClass);
    PruningOptionSpecs.check(PruningOptionSpecs.SEED, seed);
  }

  /** Every option at its default (keeps all examples until a fraction is set). */
  public static PruningOptions defaults() {
    return new PruningOptions(PruningOptionSpecs.FRACTION.defaultValue(), PruningOptionSpecs.KEEP.defaultValue(),
        PruningOptionSpecs.CLASS_FLOOR.defaultValue(), PruningOptionSpecs.ABUNDANT_PER_CLASS.defaultValue(),
        PruningOptionSpecs.SEED.defaultValue());
  }

  public PruningOptions withFraction(double value) {
    return new PruningOptions(value, keep, classFloor, abundantPerClass, seed);
  }

  public PruningOptions withKeep(KeepPolicy value) {
    return new PruningOptions(fraction, value, classFloor, abundantPerClass, seed);
  }

  public PruningOptions withClassFloor(double value) {
    return new PruningOptions(fraction, keep, value, abundantPerClass, seed);
  }

  public PruningOptions withAbundantPerClass(long value) {
    return new PruningOptions(fraction, keep, classFloor, value, seed);
  }

  public PruningOptions withSeed(long value) {
    return new PruningOptions(fraction, keep, classFloor, abundantPerClass, value);
  }
}
