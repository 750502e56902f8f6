package dev.trendlake.pipeline;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.trendlake.pipeline.io.Manifest;
import dev.trendlake.transforms.model.FileTally;
import dev.trendlake.transforms.model.RunTally;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ManifestAndOptionsTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void reconciliationNamesEveryFileAndRegionThatDoesNotAddUp() {
    RunTally t = new RunTally();
    FileTally ok = t.file("a.csv", "statistics");
    ok.region = "us";
    ok.records = 5;
    ok.silver = 3;
    ok.duplicates = 1;
    ok.quarantined.put("invalid_count", 1L);
    assertTrue(Manifest.problems(addRegion(t, "us", 3, 3)).isEmpty());

    FileTally lost = t.file("b.csv", "statistics");
    lost.region = "us";
    lost.records = 4;
    lost.silver = 2;
    List<String> problems = Manifest.problems(t);
    assertEquals(
        List.of(
            "b.csv: records 4 != silver 2 + quarantined 0 + duplicates 0",
            "region us: silver rows written 3 != rows kept from its files 5"),
        problems);
    t.region("us").gold = 2;
    assertTrue(Manifest.problems(t).contains("region us: gold rows 2 != silver rows 3"));
  }

  private static RunTally addRegion(RunTally t, String region, long silver, long gold) {
    t.region(region).silver = silver;
    t.region(region).gold = gold;
    return t;
  }

  private static String[] runExpectingFailure(int expected, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        TrendlakeMain.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(expected, status);
    return new String[] {
      out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)
    };
  }

  @Test
  public void badOptionsAreAllReportedAtOnceInUserWords() throws Exception {
    String[] r =
        runExpectingFailure(
            2,
            "--input=" + tmp.getRoot() + "/nope",
            "--output=" + tmp.newFolder("out"),
            "--maxFileMegabytes=0",
            "--warehouse=mysql");
    String err = r[1];
    assertTrue(err, err.contains("--input " + tmp.getRoot() + "/nope is not a folder"));
    assertTrue(err, err.contains("--maxFileMegabytes must be a positive number"));
    assertTrue(
        err,
        err.contains(
            "--warehouse must be none, embedded, or a jdbc:postgresql:// or jdbc:redshift:// URL"
                + " (got 'mysql')"));
    assertTrue(err, err.contains("./trendlake run --help"));
    assertTrue("no stack trace", !err.contains("\tat "));
  }

  @Test
  public void inputWithoutRawStatisticsIsNotABronzeRoot() throws Exception {
    String err =
        runExpectingFailure(
            2, "--input=" + tmp.newFolder("empty"), "--output=" + tmp.newFolder("o"))[1];
    assertTrue(err, err.contains("has no raw_statistics/ folder"));
  }

  @Test
  public void helpListsEveryOptionWithItsDescription() {
    String out = runExpectingFailure(0, "--help")[0];
    for (String o :
        new String[] {
          "--input", "--output", "--warehouse", "--maxFileMegabytes", "--runId", "--runner"
        }) {
      assertTrue(o + " in\n" + out, out.contains(o));
    }
    assertTrue(out, out.contains("Bronze root to read"));
  }
}
