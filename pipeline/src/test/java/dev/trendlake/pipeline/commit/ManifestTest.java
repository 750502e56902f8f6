package dev.trendlake.pipeline.commit;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.trendlake.transforms.tally.PartitionTally;
import dev.trendlake.transforms.tally.RegionTally;
import dev.trendlake.transforms.tally.RunTally;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.Test;

/** The reconciliation a run must pass before it commits anything. */
public class ManifestTest {
  private static PartitionTally usPartition(long rows) {
    return new PartitionTally(
        "us", rows, 0, new TreeMap<>(Map.of("a.csv", new PartitionTally.FileRows(rows, 0))));
  }

  @Test
  public void reconciliationNamesEveryFileAndRegionThatDoesNotAddUp() {
    RunTally.Builder t = RunTally.builder();
    t.file("a.csv", "statistics")
        .region("us")
        .records(5)
        .silver(3)
        .duplicates(1)
        .quarantined("invalid_count", 1);
    t.region("us", new RegionTally(3, 3, 0, 0));
    t.partition("region=us/trending_date=2017-11-14", usPartition(3));
    assertTrue(Manifest.problems(t.build()).isEmpty());

    t.file("b.csv", "statistics").region("us").records(4).silver(2);
    t.partition("region=us/trending_date=2017-11-15", usPartition(2));
    assertEquals(
        List.of(
            "b.csv: records 4 != silver 2 + quarantined 0 + duplicates 0",
            "region us: silver rows written 3 != rows in its partitions 5"),
        Manifest.problems(t.build()));

    RunTally.Builder lessGold = RunTally.builder();
    lessGold.file("a.csv", "statistics").region("us").records(3).silver(3);
    lessGold.region("us", new RegionTally(3, 2, 0, 0));
    lessGold.partition("region=us/trending_date=2017-11-14", usPartition(3));
    assertEquals(
        List.of("region us: gold rows 2 != silver rows 3"), Manifest.problems(lessGold.build()));

    RunTally.Builder unwritten = RunTally.builder();
    unwritten.file("a.csv", "statistics").region("us").records(3).silver(3);
    unwritten.partition("region=us/trending_date=2017-11-14", usPartition(3));
    assertEquals(
        List.of("region us: 3 rows kept but none written"), Manifest.problems(unwritten.build()));
  }
}
