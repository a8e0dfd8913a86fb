/**
 * Launch scripts and configuration templates, and what the build assembles from the other modules:
 *
 * <ul>
 *   <li>{@code target/lib}: the whole runtime, Spark included, for {@code bin/spark-zero} (an
 *       embedded Spark) and as {@code SPARK_HOME/jars} of {@code local-cluster} executors;
 *   <li>{@code target/*-app.jar}: the application jar for {@code spark-submit}, with Spark, Hadoop,
 *       Scala and the libraries a Spark installation ships left out ({@code provided}) and the
 *       command line as its main class;
 *   <li>{@code target/spark-dist}: just those provided jars, a stand-in for a cluster's Spark
 *       installation, from which the tests start a standalone master and workers, so that the
 *       application jar is tried against what a cluster really offers.
 * </ul>
 *
 * <p>The tests simulate hosts with Linux namespaces: each host its own network namespace on a
 * bridge, its own /dev/shm and its own host name. The hosts share this machine's file system,
 * which stands in for the shared storage (HDFS, an object store) that checkpoints need.
 */
package io.sparkzero.deploy;
