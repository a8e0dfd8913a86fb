/**
 * The driver's use of Spark itself: waiting for jobs so that a stopped session ends the wait, and
 * the console's log levels (driver and the executors it starts on this host).
 */
package io.sparkzero.driver.spark;
