/** The optimizer step on its own (the statistics sweep and the rule's update), per rank. */
package io.sparkzero.bench.optim;
