package io.sparkzero.driver.data;

import java.io.Serializable;

/**
 * What an IDX source's headers say.
 *
 * @param count examples the headers promise
 * @param rows image rows
 * @param cols image columns
 * @param plain whether no file is gzipped, so that the examples can be read in byte ranges
 */
public record IdxLayout(int count, int rows, int cols, boolean plain) implements Serializable {}
