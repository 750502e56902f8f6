package dev.trendlake.transforms.coders;

import static org.junit.Assert.assertEquals;

import dev.trendlake.transforms.model.FileTally;
import dev.trendlake.transforms.model.RunTally;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.Test;

public class RunTallyCoderTest {

  private static RunTally sample() {
    RunTally t = new RunTally();
    FileTally f = t.file("raw_statistics/region=us/USvideos.csv", "statistics");
    f.region = "us";
    f.layout = "kaggle_2017";
    f.records = 1_000_000_000_000L;
    f.silver = 990;
    f.duplicates = 3;
    f.encodingRepairs = 2;
    f.quarantined.put("invalid_count", 4L);
    f.quarantined.put("malformed_csv", 3L);
    t.file(
        "raw_statistics_reference_data/US_category_id.json", "categories"); // nulls: region, layout
    RunTally.RegionTally r = t.region("us");
    r.silver = 990;
    r.gold = 990;
    r.unknownCategory = 1;
    r.categories = 32;
    t.staged.put(
        "/out/_staging/r/gold/trending/region=us/trending_date=2018-01-01/part-00000.parquet",
        "/out/gold/trending/region=us/trending_date=2018-01-01/part-00000.parquet");
    t.partitions.put("gold/trending/region=us/trending_date=2018-01-01", "parquet");
    return t;
  }

  @Test
  public void roundTripsEveryField() throws Exception {
    RunTally t = sample();
    RunTally back = CoderUtils.clone(RunTallyCoder.of(), t);
    assertEquals(t, back);
    FileTally f = back.files.get("raw_statistics/region=us/USvideos.csv");
    assertEquals("kaggle_2017", f.layout);
    assertEquals(2, f.encodingRepairs);
    assertEquals(32, back.regions.get("us").categories);
    CoderProperties.coderDecodeEncodeEqual(RunTallyCoder.of(), t);
    CoderProperties.coderDecodeEncodeEqual(RunTallyCoder.of(), new RunTally());
    CoderProperties.coderDeterministic(RunTallyCoder.of(), sample(), sample());
  }
}
