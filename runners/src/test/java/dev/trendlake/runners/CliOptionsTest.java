package dev.trendlake.runners;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.trendlake.runners.cli.RunCommand;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The run command's options: every problem at once, in words that name the option. */
public class CliOptionsTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private static String[] runExpectingFailure(int expected, String... args) {
    CliRun r = CliRun.run(args);
    assertEquals(expected, r.status());
    return new String[] {r.out(), r.err()};
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
    assertTrue(
        err,
        err.contains(
            "--maxFileMegabytes takes a whole number of megabytes greater than 0, got '0'"));
    assertTrue(
        err,
        err.contains(
            "--warehouse must be none, embedded, or a jdbc:postgresql:// or jdbc:redshift:// URL"
                + " (got 'mysql')"));
    assertTrue(err, err.contains("trendlake run --help"));
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

  /** --quiet alone means true, and a Beam option after it stays Beam's. */
  @Test
  public void quietIsASwitchThatLeavesTheNextOptionAlone() throws Exception {
    java.nio.file.Files.createDirectories(tmp.getRoot().toPath().resolve("b/raw_statistics"));
    dev.trendlake.pipeline.config.RunConfig c =
        RunCommand.parse(
            "--input=" + tmp.getRoot() + "/b",
            "--output=" + tmp.getRoot() + "/o",
            "--quiet",
            "--enforceEncodability=false");
    assertTrue(!c.showProgress());
    assertTrue(c.beamArgs().toString(), c.beamArgs().contains("--enforceEncodability=false"));
    String err =
        runExpectingFailure(
            2,
            "--input=" + tmp.getRoot() + "/b",
            "--output=" + tmp.getRoot() + "/o",
            "--quiet=maybe",
            "--progressInterval=0")[1];
    assertTrue(err, err.contains("--quiet takes true or false"));
    assertTrue(
        err, err.contains("--progressInterval takes a whole number of seconds greater than 0"));
  }
}
