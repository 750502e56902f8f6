package dev.trendlake.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;

import dev.trendlake.runners.cli.Cli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.Test;

/** The one command line: commands, version, and errors that name the option and its form. */
public class CliTest {
  record Result(int status, String out, String err) {
    String text() {
      return out + err;
    }
  }

  static Result cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        Cli.execute(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  public void helpListsTheCommands() {
    Result r = cli("--help");
    assertEquals(r.err(), 0, r.status());
    for (String command : new String[] {"run", "sql", "help"}) {
      assertThat(r.out(), containsString("  " + command));
    }
    // the commands of other jars are listed with where they are when their jar is absent
    assertThat(r.out(), containsString("ingest"));
    assertThat(r.out(), containsString("generate"));
    assertThat(r.out(), containsString("bench"));
  }

  @Test
  public void versionNamesTheVersionAndTheCommit() {
    Result r = cli("--version");
    assertEquals(r.err(), 0, r.status());
    assertThat(r.out(), matchesPattern("(?s)trendlake \\S+ \\(commit \\S+, built .*"));
  }

  @Test
  public void anUnknownCommandSaysSo() {
    Result r = cli("rnu");
    assertEquals(2, r.status());
    assertThat(r.err(), containsString("rnu"));
    assertThat(r.err(), not(containsString("\tat ")));
  }

  @Test
  public void aMistypedSqlOptionIsNamedNotGluedIntoTheQuery() {
    Result r = cli("sql", "--outptu=x", "select 1");
    assertEquals(2, r.status());
    assertThat(r.err(), containsString("--outptu=x"));
    assertThat(r.err(), containsString("did you mean --output"));
    assertThat(r.err(), containsString("trendlake sql --help"));
  }

  @Test
  public void aMistypedRunOptionIsNamedWithTheNearestOption() {
    Result r = cli("run", "--outptu=x");
    assertEquals(2, r.status());
    assertThat(r.err(), containsString("unknown option --outptu (did you mean --output?)"));
  }

  @Test
  public void aBadFormatNamesTheAcceptedValues() {
    Result r = cli("sql", "--format=xml", "select 1");
    assertEquals(2, r.status());
    assertThat(r.err(), containsString("--format"));
    assertThat(r.err(), containsString("table, csv, json"));
  }

  @Test
  public void aBareOptionListMeansRun() {
    Result r = cli("--maxFileMegabytes=abc");
    assertEquals(2, r.status());
    assertThat(
        r.err(),
        containsString(
            "--maxFileMegabytes takes a whole number of megabytes greater than 0, got 'abc'"));
  }
}
