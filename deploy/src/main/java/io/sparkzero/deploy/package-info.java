/**
 * Launch scripts and configuration templates; the build assembles the runtime library folder used by bin/spark-zero and as SPARK_HOME/jars.
 */
package io.sparkzero.deploy;
