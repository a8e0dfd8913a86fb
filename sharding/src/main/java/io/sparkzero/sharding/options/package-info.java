/**
 * The option type every module declares its options with.
 *
 * <p>An {@link io.sparkzero.sharding.options.OptionSpec} holds one option's key, Java type,
 * default, what values are allowed (in words, and as the check that enforces them) and a one-line
 * description. Each module keeps its options in one holder: the job's in the driver's {@code
 * JobOptions}, the collectives' in {@link io.sparkzero.sharding.collective.CollectiveOptionSpecs}.
 * The driver's {@code spark-zero options} prints one table from all holders, and the README's
 * option reference is that table, checked row for row by a test.
 *
 * <p>A value comes in two ways and is checked the same way: parsed from text (a job file, a {@code
 * --set key=value} override, a map of settings handed to a rank) with {@code parse}, or built in
 * code (a record's field, a builder's argument) and checked with {@code check}. A value that is
 * not allowed raises a {@link io.sparkzero.sharding.options.ConfigException} naming the key, the
 * value and what is allowed, so a bad job fails in one line before any work starts. Checks that
 * relate two options (a term length that must hold eight frames of the chunk size) stay with the
 * options' record and raise the same exception.
 *
 * <p>This package sits in the bottom module so that every module can declare options; it depends
 * on nothing but the JDK.
 */
package io.sparkzero.sharding.options;
