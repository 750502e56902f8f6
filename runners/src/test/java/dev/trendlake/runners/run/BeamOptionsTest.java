package dev.trendlake.runners.run;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import dev.trendlake.runners.cli.RunCommand;
import dev.trendlake.testkit.TestWarehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The Flink options a run's launch gives Beam: a continuous run's differ from a batch run's. */
public class BeamOptionsTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private FlinkPipelineOptions flink(boolean continuous) throws Exception {
    return BeamOptions.create(
            RunCommand.parse(
                "--input=" + TestWarehouse.bronze(),
                "--output=" + tmp.newFolder(),
                "--runner=FlinkRunner",
                "--parallelism=2",
                "--warehouse=none",
                "--continuous=" + continuous))
        .as(FlinkPipelineOptions.class);
  }

  private static String conf(FlinkPipelineOptions o) throws Exception {
    return Files.readString(Path.of(o.getFlinkConfDir(), "flink-conf.yaml"));
  }

  @Test
  public void aContinuousRunWakesLessOftenWhileIdle() throws Exception {
    FlinkPipelineOptions o = flink(true);
    assertTrue(o.isStreaming());
    assertEquals(5000L, (long) o.getMaxBundleTimeMills());
    assertTrue(conf(o), conf(o).contains("execution.buffer-timeout: 1000 ms\n"));
  }

  @Test
  public void aBatchRunKeepsBeamsAndFlinksDefaults() throws Exception {
    FlinkPipelineOptions o = flink(false);
    assertFalse(o.isStreaming());
    assertNotEquals(5000L, (long) o.getMaxBundleTimeMills()); // Beam's batch default
    assertFalse(conf(o), conf(o).contains("buffer-timeout"));
  }
}
