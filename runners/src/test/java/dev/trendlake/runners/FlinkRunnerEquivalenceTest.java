package dev.trendlake.runners;

import org.junit.Test;

/**
 * Same answer on every runner: testdata/bronze through the embedded Flink cluster (the launch path
 * of {@code ./trendlake run --runner=FlinkRunner}) gives the DirectRunner's silver and gold rows,
 * quarantine lines and manifest counts, at parallelism 2 (records of one key meet across task
 * slots, so grouping keys and coders must be deterministic) and 1.
 */
public class FlinkRunnerEquivalenceTest {

  @Test
  public void embeddedFlinkAtParallelismTwoMatchesDirectRunner() {
    LakeSnapshot flink = TestRuns.launch("flink-p2", "--runner=FlinkRunner", "--parallelism=2");
    LakeSnapshot.assertSameOutput("FlinkRunner parallelism 2", TestRuns.direct(), flink);
  }

  @Test
  public void embeddedFlinkAtParallelismOneMatchesDirectRunner() {
    LakeSnapshot flink = TestRuns.launch("flink-p1", "--runner=FlinkRunner", "--parallelism=1");
    LakeSnapshot.assertSameOutput("FlinkRunner parallelism 1", TestRuns.direct(), flink);
  }
}
