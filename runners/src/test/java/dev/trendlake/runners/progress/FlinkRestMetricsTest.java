package dev.trendlake.runners.progress;

import static org.junit.Assert.assertEquals;

import java.util.Map;
import org.junit.Test;

/** Beam counters under the metric ids Flink 1.19's REST API gives them (seen on a real job). */
public class FlinkRestMetricsTest {
  @Test
  public void readsTheIdsFlinkServes() {
    Snapshot s = Snapshot.NONE;
    s =
        FlinkRestMetrics.add(
            s, "ReadStatistics/ParseCleanAndJoin.dev_trendlake_transforms_ReadStatistics_files", 4);
    s =
        FlinkRestMetrics.add(
            s,
            "ReadStatistics/ParseCleanAndJoin.dev_trendlake_transforms_ReadStatistics_bytes",
            1.38970728E8);
    s =
        FlinkRestMetrics.add(
            s,
            "ReadStatistics/ParseCleanAndJoin.dev_trendlake_transforms_ReadStatistics_records",
            94500);
    s =
        FlinkRestMetrics.add(
            s,
            "BuildPartitions/DedupeWrite.dev_trendlake_transforms_BuildPartitions_partitions",
            3);
    s =
        FlinkRestMetrics.add(
            s,
            "LoadWarehouse/MergeStarSchema.dev_trendlake_pipeline_warehouse_LoadWarehouse_merged_fact_video_trending",
            991990);
    s =
        FlinkRestMetrics.add(
            s,
            "LoadWarehouse/StagePartitions.dev_trendlake_pipeline_warehouse_LoadWarehouse_rows_staged",
            50000);
    // a dotted scope delimiter, and metrics of other steps, count or not as they should
    s = FlinkRestMetrics.add(s, "x.dev.trendlake.transforms.BuildPartitions.kept", 11);
    s = FlinkRestMetrics.add(s, "ReadStatistics/ParseCleanAndJoin.numRecordsIn", 24);
    assertEquals(
        new Snapshot(4, 138970728, 94500, 3, 11, 50000, Map.of("fact_video_trending", 991990L)), s);
  }
}
