package dev.trendlake.transforms.coders;

import static org.junit.Assert.assertEquals;

import dev.trendlake.transforms.tally.FileTally;
import dev.trendlake.transforms.tally.QualityStats;
import dev.trendlake.transforms.tally.RegionTally;
import dev.trendlake.transforms.tally.RunTally;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.Test;

public class RunTallyCoderTest {

  private static RunTally sample() {
    RunTally.Builder t = RunTally.builder();
    t.file("raw_statistics/region=us/USvideos.csv", "statistics")
        .region("us")
        .layout("kaggle_2017")
        .records(1_000_000_000_000L)
        .silver(990)
        .duplicates(3)
        .encodingRepairs(2)
        .quarantined("invalid_count", 4)
        .quarantined("malformed_csv", 3);
    t.file(
        "raw_statistics_reference_data/US_category_id.json", "categories"); // nulls: region, layout
    t.region("us", new RegionTally(990, 990, 1, 32));
    t.stage(
        "/out/_staging/r/gold/trending/region=us/trending_date=2018-01-01/part-00000.parquet",
        "/out/gold/trending/region=us/trending_date=2018-01-01/part-00000.parquet");
    t.replace("gold/trending/region=us/trending_date=2018-01-01", "parquet");
    t.quality("us", QualityStats.ofRows(990, 17532, java.util.Map.of("title", 4L, "likes", 1L)));
    t.quality("us", QualityStats.ofSteps(12, 3));
    t.quality("gb", QualityStats.ZERO);
    t.skip("raw_statistics/region=us/fifo.csv", "not a regular file (a named pipe)");
    return t.build();
  }

  @Test
  public void roundTripsEveryField() throws Exception {
    RunTally t = sample();
    RunTally back = CoderUtils.clone(RunTallyCoder.of(), t);
    assertEquals(t, back);
    FileTally f = back.files().get("raw_statistics/region=us/USvideos.csv");
    assertEquals("kaggle_2017", f.layout());
    assertEquals(2, f.encodingRepairs());
    assertEquals(32, back.region("us").categories());
    assertEquals(
        new QualityStats(
            990, 17532, new java.util.TreeMap<>(java.util.Map.of("title", 4L, "likes", 1L)), 12, 3),
        back.quality().get("us"));
    assertEquals(Integer.MIN_VALUE, back.quality().get("gb").newestDay());
    assertEquals(
        "not a regular file (a named pipe)",
        back.skipped().get("raw_statistics/region=us/fifo.csv"));
    CoderProperties.coderDecodeEncodeEqual(RunTallyCoder.of(), t);
    CoderProperties.coderDecodeEncodeEqual(RunTallyCoder.of(), RunTally.EMPTY);
    CoderProperties.coderDeterministic(RunTallyCoder.of(), sample(), sample());
  }
}
