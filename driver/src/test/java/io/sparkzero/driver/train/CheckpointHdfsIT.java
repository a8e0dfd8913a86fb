package io.sparkzero.driver.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints on a real HDFS (an in-process {@link MiniDFSCluster}): a job writes them to an
 * {@code hdfs://} path, a second job resumes from there and ends with exactly the parameters of
 * the job that ran straight through; {@code spark-zero export} turns the sharded checkpoint into
 * one DL4J model file holding those parameters, and {@code spark-zero eval} scores the checkpoint
 * and the model file alike.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CheckpointHdfsIT {
  private static final String TEST_DATA = "synthetic:n=512,features=784,classes=10,seed=11,start=2048";

  private MiniDFSCluster cluster;
  private String root;
  @TempDir Path dir;

  @BeforeAll
  void startHdfs(@TempDir Path hdfsDir) throws Exception {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, hdfsDir.toString());
    conf.setInt("dfs.replication", 1);
    cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    cluster.waitActive();
    root = "hdfs://127.0.0.1:" + cluster.getNameNodePort();
  }

  @AfterAll
  void stopHdfs() {
    if (cluster != null) {
      cluster.shutdown();
    }
  }

  private Map<String, Object> job(int epochs, String checkpoints, String model) {
    Map<String, Object> job = TrainingJobLocalIT.smallJob();
    job.put("spark.master", "local[2]");
    job.put("data.test", "");
    job.put("zero.stage", 2);
    job.put("train.epochs", epochs);
    job.put("output.model", model);
    job.put("spark-conf.spark.hadoop.dfs.replication", "1");
    if (checkpoints != null) {
      job.put("checkpoint.path", checkpoints);
      job.put("checkpoint.every-steps", 10);
    }
    return job;
  }


  @Test
  void resumeExportAndEvaluateFromHdfs() throws Exception {
    float[] expected = Jobs.run(job(2, null, dir.resolve("straight.zip").toUri().toString()),
        new ByteArrayOutputStream()).finalParams();
    String checkpoints = root + "/jobs/mlp/checkpoints";
    Jobs.run(job(1, checkpoints, dir.resolve("first.zip").toUri().toString()),
        new ByteArrayOutputStream());
    TrainingReport resumed = Jobs.run(job(2, checkpoints, root + "/jobs/mlp/resumed.zip"),
        new ByteArrayOutputStream());
    assertThat(resumed.epochs()).hasSize(1);
    assertThat(resumed.finalParams()).as("resumed from hdfs = straight").containsExactly(expected);

    String exported = root + "/jobs/mlp/exported.zip";
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    assertThat(Jobs.cli(stdout, "export", checkpoints, exported)).isZero();
    assertThat(stdout.toString()).contains("global step 64").contains(exported);
    Configuration conf = new Configuration();
    try (FileSystem fs = FileSystem.newInstance(java.net.URI.create(root), conf);
        InputStream in = fs.open(new org.apache.hadoop.fs.Path(exported))) {
      MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(in, false);
      assertThat(net.params().toFloatVector()).as("the model file holds the checkpoint's"
          + " parameters").containsExactly(expected);
    }

    Path local = dir.resolve("exported.zip");
    assertThat(Jobs.cli(new ByteArrayOutputStream(), "export", checkpoints,
        local.toUri().toString())).isZero();
    ByteArrayOutputStream fromCheckpoint = new ByteArrayOutputStream();
    ByteArrayOutputStream fromFile = new ByteArrayOutputStream();
    assertThat(Jobs.cli(fromCheckpoint, "eval", "--checkpoint", checkpoints, "--set",
        "data.test=" + TEST_DATA, "--set", "spark.master=local[2]", "--set",
        "spark-conf.spark.ui.enabled=false")).isZero();
    assertThat(Jobs.cli(fromFile, "eval", "--model-file", local.toString(), "--set",
        "data.test=" + TEST_DATA, "--set", "spark.master=local[2]", "--set",
        "spark-conf.spark.ui.enabled=false", "--set", "eval.robust-steps=3", "--set",
        "eval.robust-epsilon=0.3")).isZero();
    String accuracy = fromCheckpoint.toString().replaceAll("(?s).*accuracy ([0-9.]+) on 512.*",
        "$1");
    assertThat(Double.parseDouble(accuracy)).isGreaterThan(0.8);
    assertThat(fromFile.toString()).contains("accuracy " + accuracy + " on 512 examples");
    String robust = fromFile.toString().replaceAll(
        "(?s).*robust accuracy ([0-9.]+) under PGD-3, untargeted, epsilon 0.3000 on 512 examples.*", "$1");
    assertThat(Double.parseDouble(robust)).as("robust accuracy, the clean one %s", accuracy)
        .isLessThan(Double.parseDouble(accuracy));
  }
}
