/** The driver's use of Spark itself: waiting for jobs so that a stopped session ends the wait. */
package io.sparkzero.driver.spark;
