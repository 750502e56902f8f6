package dev.trendlake.runners;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.junit.Test;

public class RunnerDefaultsTest {

  @Test
  public void flinkOutsideAFlinkClientRunsEmbedded() {
    List<String> a = RunnerDefaults.apply(List.of("--runner=FlinkRunner"));
    assertTrue(a.toString(), a.contains("--flinkMaster=[local]"));
    assertTrue(a.toString(), a.contains("--objectReuse=true"));
    assertTrue(a.toString(), a.contains("--fasterCopy=true"));
  }

  @Test
  public void embeddedFlinkGetsOneSlotPerParallelTaskAndNoAdaptiveParallelism() throws Exception {
    List<String> a = RunnerDefaults.apply(List.of("--runner=FlinkRunner", "--parallelism=3"));
    String dir = RunnerDefaults.value(a.toArray(new String[0]), "flinkConfDir");
    String conf = java.nio.file.Files.readString(java.nio.file.Path.of(dir, "flink-conf.yaml"));
    assertTrue(conf, conf.contains("taskmanager.numberOfTaskSlots: 3\n"));
    assertTrue(conf, conf.contains("execution.batch.adaptive.auto-parallelism.enabled: false\n"));
    assertTrue(conf, conf.contains("taskmanager.memory.managed.size: 256m\n"));
  }

  @Test
  public void userValuesWin() {
    List<String> a =
        RunnerDefaults.apply(
            List.of("--runner=FlinkRunner", "--flinkMaster=host:8081", "--objectReuse=false"));
    assertEquals(1, a.stream().filter(s -> s.startsWith("--flinkMaster=")).count());
    assertTrue(a.contains("--flinkMaster=host:8081"));
    assertEquals(1, a.stream().filter(s -> s.startsWith("--objectReuse=")).count());
  }

  @Test
  public void directRunnerGetsNoFlinkOptions() {
    List<String> a = RunnerDefaults.apply(List.of());
    assertTrue(a.stream().noneMatch(s -> s.startsWith("--flinkMaster")));
    assertTrue(a.contains("--enforceImmutability=false"));
  }

  @Test
  public void continuousRunsStreamWithExactlyOnceCheckpointsOnFlinkAndKeepUserValues() {
    List<String> flink =
        RunnerDefaults.forContinuous(
            List.of("--runner=FlinkRunner", "--checkpointingInterval=2000"));
    assertTrue(flink.toString(), flink.contains("--streaming=true"));
    assertTrue(flink.toString(), flink.contains("--checkpointingMode=EXACTLY_ONCE"));
    // the start-up source must stay alive, or the watcher's task takes no checkpoint barrier
    assertTrue(
        flink.toString(), flink.stream().noneMatch(s -> s.startsWith("--shutdownSourcesAfter")));
    assertEquals(
        List.of("--checkpointingInterval=2000"),
        flink.stream().filter(s -> s.startsWith("--checkpointingInterval=")).toList());
    List<String> direct = RunnerDefaults.forContinuous(List.of("--runner=DirectRunner"));
    assertTrue(direct.toString(), direct.contains("--streaming=true"));
    assertTrue(direct.toString(), direct.stream().noneMatch(s -> s.startsWith("--checkpointing")));
  }

  @Test
  public void continuousFlinkRunsWakeLessOftenAndBatchRunsKeepBeamsDefaults() throws Exception {
    List<String> continuous =
        RunnerDefaults.forContinuous(
            RunnerDefaults.apply(List.of("--runner=FlinkRunner", "--parallelism=2"), true));
    assertTrue(continuous.toString(), continuous.contains("--maxBundleTimeMills=5000"));
    assertTrue(conf(continuous), conf(continuous).contains("execution.buffer-timeout: 1000 ms\n"));

    for (List<String> batch :
        List.of(
            RunnerDefaults.apply(List.of("--runner=FlinkRunner", "--parallelism=2")),
            RunnerDefaults.apply(List.of("--runner=FlinkRunner", "--parallelism=2"), false))) {
      assertTrue(batch.toString(), batch.stream().noneMatch(s -> s.startsWith("--maxBundle")));
      assertTrue(conf(batch), !conf(batch).contains("buffer-timeout"));
    }

    List<String> direct = RunnerDefaults.forContinuous(List.of("--runner=DirectRunner"));
    assertTrue(direct.toString(), direct.stream().noneMatch(s -> s.startsWith("--maxBundle")));
  }

  @Test
  public void continuousWakeUpSettingsKeepUserValues() {
    List<String> a =
        RunnerDefaults.forContinuous(List.of("--runner=FlinkRunner", "--maxBundleTimeMills=250"));
    assertEquals(
        List.of("--maxBundleTimeMills=250"),
        a.stream().filter(s -> s.startsWith("--maxBundleTimeMills=")).toList());
  }

  private static String conf(List<String> args) throws java.io.IOException {
    String dir = RunnerDefaults.value(args.toArray(new String[0]), "flinkConfDir");
    return java.nio.file.Files.readString(java.nio.file.Path.of(dir, "flink-conf.yaml"));
  }
}
