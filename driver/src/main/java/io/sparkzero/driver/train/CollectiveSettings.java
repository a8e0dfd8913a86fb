package io.sparkzero.driver.train;

import java.io.Serializable;

/**
 * Collective options as validated on the driver, shipped to the ranks.
 *
 * @param transport auto, ipc or udp
 * @param bindHost UDP bind address
 * @param timeoutMs silence after which a peer is declared lost
 * @param chunkBytes payload bytes per message
 * @param bucketBytes bytes per all-reduce bucket
 * @param aeronDir shared Aeron directory on each host
 */
public record CollectiveSettings(
    String transport, String bindHost, long timeoutMs, int chunkBytes, int bucketBytes, String aeronDir)
    implements Serializable {}
