package io.sparkzero.driver.train;

import io.sparkzero.worker.data.StreamStats;
import io.sparkzero.worker.optim.StateTraffic;
import io.sparkzero.worker.session.GpuBinding;
import io.sparkzero.worker.train.EpochResult;
import java.io.Serializable;

/**
 * A rank's answer to the driver at the end of a stage.
 *
 * @param result the epoch's metrics and parameter hash
 * @param shardParams this rank's shard of the parameters (flat elements of its partition-plan
 *     shard, in rank order they tile the vector) when the driver asked for them; else null
 * @param stateReceivedFromRank rank whose state this rank received at the stage's start, or -1
 * @param processId process id of the JVM the rank ran in (tells executors apart in tests and logs)
 * @param memory that JVM's peak resident memory and maximum heap
 * @param offload what the rank's offloaded optimizer state moved so far (zeros when not offloaded)
 * @param timeline when the rank passed each point of the stage
 * @param gpu the GPU Spark gave the rank's task and the ND4J device the rank was bound to
 * @param stream what the rank's data stream did ({@code data.mode stream}); else all zero
 */
@com.esotericsoftware.kryo.DefaultSerializer(
    com.esotericsoftware.kryo.serializers.JavaSerializer.class)
public record RankReport(EpochResult result, float[] shardParams, int stateReceivedFromRank,
    long processId, ProcessMemory memory, StateTraffic offload, StageTimeline timeline,
    GpuBinding gpu, StreamStats stream)
    implements Serializable {}
