package dev.trendlake.runners;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The bundled jar on a real standalone Flink 1.19 cluster (a JobManager and a TaskManager in their
 * own JVMs, see {@link StandaloneFlinkCluster}), submitted both ways a user submits it: {@code java
 * -jar <jar> --runner=FlinkRunner --flinkMaster=localhost:<port>} and {@code flink run <jar>}
 * (Flink's CLI class, as the {@code flink} script and an EMR step run it). Each must give the
 * DirectRunner's output. Runs after {@code package}, which builds the jar.
 */
public class FlinkClusterIT {
  private static final long SUBMIT_TIMEOUT_MINUTES = 5;
  private static StandaloneFlinkCluster cluster;
  private static Path jar;

  @BeforeClass
  public static void startCluster() throws Exception {
    jar =
        Paths.get(System.getProperty("trendlake.bundledJar", "target/trendlake-bundled.jar"))
            .toAbsolutePath();
    assertTrue(
        "the bundled jar is built by 'mvn package' before this test: " + jar,
        Files.isRegularFile(jar));
    // The reference run overlaps with the cluster's start, which is mostly JVMs waiting on each
    // other.
    CompletableFuture<LakeSnapshot> reference = CompletableFuture.supplyAsync(TestRuns::direct);
    cluster = StandaloneFlinkCluster.start(TestRuns.newOutput("flink-cluster"), 2);
    reference.join();
  }

  @AfterClass
  public static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  public void javaJarWithFlinkMasterMatchesDirectRunner() throws Exception {
    Path out = TestRuns.newOutput("cluster-javajar");
    List<String> cmd = new ArrayList<>(List.of(cluster.java(), "-Xmx1g"));
    cmd.addAll(cluster.jvmOpens);
    cmd.addAll(
        List.of(
            "-jar",
            jar.toString(),
            "run",
            "--runner=FlinkRunner",
            "--flinkMaster=" + cluster.master(),
            "--parallelism=2",
            "--input=" + TestRuns.bronze(),
            "--output=" + out));
    submit(cmd, out.resolveSibling(out.getFileName() + ".log"));
    LakeSnapshot.assertSameOutput(
        "bundled jar on a standalone cluster", TestRuns.direct(), LakeSnapshot.of(out));
  }

  @Test
  public void flinkRunMatchesDirectRunner() throws Exception {
    Path out = TestRuns.newOutput("cluster-flinkrun");
    List<String> cmd = new ArrayList<>(List.of(cluster.java(), "-Xmx512m"));
    cmd.addAll(cluster.jvmOpens);
    cmd.addAll(
        List.of(
            "-cp",
            cluster.classpath,
            "org.apache.flink.client.cli.CliFrontend",
            "run",
            "-m",
            cluster.master(),
            jar.toString(),
            "--runner=FlinkRunner",
            "--parallelism=2",
            "--input=" + TestRuns.bronze(),
            "--output=" + out));
    submit(cmd, out.resolveSibling(out.getFileName() + ".log"));
    LakeSnapshot.assertSameOutput(
        "flink run <bundled jar>", TestRuns.direct(), LakeSnapshot.of(out));
  }

  private static void submit(List<String> cmd, Path log) throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("FLINK_CONF_DIR", cluster.confDir.toString());
    Process p = pb.start();
    try {
      boolean done = p.waitFor(SUBMIT_TIMEOUT_MINUTES, TimeUnit.MINUTES);
      String printed = Files.readString(log, StandardCharsets.UTF_8);
      assertTrue(
          "submission still running after "
              + SUBMIT_TIMEOUT_MINUTES
              + " min:\n"
              + printed
              + cluster.logs(),
          done);
      assertEquals("submission failed:\n" + printed + "\n" + cluster.logs(), 0, p.exitValue());
      assertTrue("the job ran on the FlinkRunner:\n" + printed, printed.contains("on FlinkRunner"));
    } finally {
      if (p.isAlive()) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
