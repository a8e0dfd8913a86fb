package io.sparkzero.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A {@link StoreRoot} on a real HDFS: a {@link MiniDFSCluster} (one NameNode, one DataNode) started
 * in this JVM on 127.0.0.1 on first use, shared by the test class and its nested classes, shut
 * down after them.
 */
final class MiniDfsStoreRoot implements ParameterResolver {

  private static final Namespace NAMESPACE = Namespace.create(MiniDfsStoreRoot.class);

  /** A running cluster and the client configuration that reaches it. */
  private record Cluster(MiniDFSCluster cluster, Path baseDir, StoreRoot root)
      implements AutoCloseable {
    @Override
    public void close() throws IOException {
      cluster.shutdown(true);
      if (!Files.exists(baseDir)) {
        return;
      }
      try (Stream<Path> paths = Files.walk(baseDir)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == StoreRoot.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return StoreRoot.outermostClass(context).getStore(NAMESPACE)
        .getOrComputeIfAbsent("cluster", key -> start(), Cluster.class).root();
  }

  private static Cluster start() {
    try {
      Path baseDir = Files.createTempDirectory("checkpoint-minidfs");
      Configuration conf = new Configuration();
      conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, baseDir.toString());
      // One DataNode: one replica, so that writes do not wait for more.
      conf.setInt("dfs.replication", 1);
      // A file closes as soon as its last block is committed, rather than the client polling
      // (from 400 ms up) until the DataNode has reported it: about 0.4 s saved per file.
      conf.setInt("dfs.namenode.file.close.num-committed-allowed", 1);
      conf.setInt("dfs.client.block.write.locateFollowingBlock.initial.delay.ms", 10);
      MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
      cluster.waitActive();
      // getURI() says "localhost"; name the loopback address the NameNode is bound to.
      String uri = "hdfs://127.0.0.1:" + cluster.getNameNodePort() + "/checkpoints";
      return new Cluster(cluster, baseDir, new StoreRoot(uri, conf));
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the MiniDFSCluster: " + e.getMessage(), e);
    }
  }
}
