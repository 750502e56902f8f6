package dev.trendlake.pipeline.io;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.regex.Pattern;
import org.junit.Test;

/** The glob the S3 listing applies to keys: the same meaning as Beam's file patterns. */
public class MatchFilesTest {
  @Test
  public void doubleStarCrossesFoldersSingleStarDoesNot() {
    Pattern p = MatchFiles.globToRegex("bronze/raw_statistics/**.csv");
    assertTrue(p.matcher("bronze/raw_statistics/region=us/ts=201711140000/USvideos.csv").matches());
    assertTrue(p.matcher("bronze/raw_statistics/misc/no_region.csv").matches());
    assertFalse(p.matcher("bronze/raw_statistics/region=us/notes.txt").matches());
    assertFalse(p.matcher("bronze/raw_statistics_reference_data/US.csv").matches());
    Pattern one = MatchFiles.globToRegex("lake/gold/*.parquet");
    assertTrue(one.matcher("lake/gold/part-00000.parquet").matches());
    assertFalse(one.matcher("lake/gold/region=us/part-00000.parquet").matches());
    assertTrue(MatchFiles.globToRegex("a/b+c(1).csv").matcher("a/b+c(1).csv").matches());
  }
}
