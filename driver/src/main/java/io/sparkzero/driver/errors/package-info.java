/**
 * What a failure means to the person who ran the job: the user errors spark-zero knows (bad
 * configuration or data, a plan that does not fit, a damaged checkpoint, a diverged run), told
 * apart from bugs even when Spark hands them over as the text of a failed task, each with its exit
 * code, one-line message and hint. The command line prints them ({@link
 * io.sparkzero.driver.errors.ErrorReport}); the metrics file's {@code end} line records the same
 * message.
 */
package io.sparkzero.driver.errors;
