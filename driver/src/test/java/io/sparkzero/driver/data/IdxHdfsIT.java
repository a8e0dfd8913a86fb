package io.sparkzero.driver.data;

import static io.sparkzero.driver.data.ExampleAssertions.assertSameExamples;
import static org.assertj.core.api.Assertions.assertThat;

import io.sparkzero.worker.data.LabeledExample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.io.TempDir;

/**
 * IDX and Parquet sources on a real HDFS: a {@link MiniDFSCluster} (one NameNode, one DataNode)
 * started in this JVM on 127.0.0.1, read and written through {@code hdfs://} URIs.
 *
 * <p>An integration test by nature; named {@code *Test} so that Surefire runs it, since the driver
 * module does not bind Failsafe yet. Rename it {@code IdxHdfsIT} when it does.
 */
@TestInstance(Lifecycle.PER_CLASS)
class IdxHdfsIT {

  private Path local;
  private MiniDFSCluster cluster;
  private SparkSession spark;
  private String root;

  @BeforeAll
  void startHdfsAndSpark(@TempDir Path tempDir) throws IOException {
    local = tempDir;
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, Files.createDirectory(local.resolve("hdfs"))
        .toString());
    conf.setInt("dfs.replication", 1);
    cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    cluster.waitActive();
    // getURI() says "localhost"; name the loopback address the NameNode is bound to.
    root = "hdfs://127.0.0.1:" + cluster.getNameNodePort();
    spark = SparkSession.builder()
        .master("local[1]")
        .appName("IdxHdfsIT")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.codegen.wholeStage", "false")
        // One DataNode: ask for one replica so that writes do not wait for more.
        .config("spark.hadoop.dfs.replication", "1")
        .getOrCreate();
  }

  @AfterAll
  void stop() {
    if (spark != null) {
      spark.stop();
    }
    if (cluster != null) {
      cluster.shutdown();
    }
  }

  private String upload(Path file) throws IOException {
    org.apache.hadoop.fs.Path target =
        new org.apache.hadoop.fs.Path("/data/" + file.getFileName());
    cluster.getFileSystem()
        .copyFromLocalFile(new org.apache.hadoop.fs.Path(file.toString()), target);
    return root + target;
  }

  @Test
  void readsIdxFromHdfsAndRoundTripsItThroughParquetOnHdfs() throws IOException {
    IdxFixture fixture = IdxFixture.write(local, "train", 12, 3, 4, 10, true, 31);
    String images = upload(fixture.images());
    upload(fixture.labels());
    List<LabeledExample> expected = new ArrayList<>();
    new IdxReader(new Configuration(), BadRecordPolicy.FAIL)
        .read(fixture.spec(10), record -> expected.add(record.toExample()));
    assertThat(images).startsWith("hdfs://127.0.0.1:");

    LoadedData fromIdx = DataSources.load(spark, DataSpec.parse(images), BadRecordPolicy.FAIL);
    String parquet = root + "/out/train.parquet";
    ImportResult imported = IdxToParquet.importIdx(spark, (IdxSpec) DataSpec.parse(images),
        parquet, false, BadRecordPolicy.FAIL);
    LoadedData fromParquet = DataSources.load(spark, DataSpec.parse(parquet),
        BadRecordPolicy.FAIL);

    assertThat(fromIdx.count()).isEqualTo(12);
    assertSameExamples(fromIdx.examples().collect(), expected);
    assertThat(imported.count()).isEqualTo(12);
    assertThat(cluster.getFileSystem()
        .exists(new org.apache.hadoop.fs.Path("/out/train.parquet"))).isTrue();
    assertThat(fromParquet.count()).isEqualTo(12);
    assertThat(fromParquet.numFeatures()).isEqualTo(12);
    assertSameExamples(fromParquet.examples().collect(), expected);
  }
}
