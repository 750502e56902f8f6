package dev.trendlake.runners;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import org.junit.Test;

/** Which command lines the launcher moves to a fitting JVM at once, before anything loads. */
public class RelaunchTest {
  private static Integer slots(String... args) {
    return Relaunch.embeddedFlinkSlots(args);
  }

  @Test
  public void anExplicitEmbeddedFlinkRunMovesAtOnce() {
    assertEquals(Integer.valueOf(2), slots("run", "--runner=FlinkRunner", "--parallelism=2"));
    assertEquals(Integer.valueOf(3), slots("run", "--runner", "flinkrunner", "--parallelism", "3"));
    assertEquals(
        Integer.valueOf(4),
        slots("run", "--runner=org.apache.beam.runners.flink.FlinkRunner", "--parallelism=4"));
    assertEquals(
        Integer.valueOf(2),
        slots("run", "--flinkMaster=[local]", "--runner=FlinkRunner", "--parallelism= 2"));
    assertEquals(
        Integer.valueOf(Runtime.getRuntime().availableProcessors()),
        slots("run", "--input=x", "--runner=FlinkRunner"));
  }

  @Test
  public void everythingElseDecidesLater() {
    assertNull("auto needs the listing", slots("run", "--input=x", "--parallelism=2"));
    assertNull(slots("run", "--runner=auto"));
    assertNull(slots("run", "--runner=DirectRunner", "--parallelism=2"));
    assertNull("a cluster", slots("run", "--runner=FlinkRunner", "--flinkMaster=host:8081"));
    assertNull("the run reports it", slots("run", "--runner=FlinkRunner", "--parallelism=two"));
    assertNull(slots("sql", "--runner=FlinkRunner"));
    assertNull(slots("--runner=FlinkRunner"));
    assertNull(slots());
  }
}
