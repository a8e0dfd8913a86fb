/**
 * Micro-benchmarks of the model layer, run by hand ({@code java -cp ...}) to choose build options
 * by measurement, such as the ND4J CPU classifier in the parent POM.
 */
package io.sparkzero.worker.model.bench;
