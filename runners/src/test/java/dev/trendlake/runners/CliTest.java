package dev.trendlake.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;

import org.junit.Test;

/** The one command line: commands, version, and errors that name the option and its form. */
public class CliTest {
  @Test
  public void helpListsTheCommands() {
    CliRun r = CliRun.of("--help");
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
    CliRun r = CliRun.of("--version");
    assertEquals(r.err(), 0, r.status());
    assertThat(r.out(), matchesPattern("(?s)trendlake \\S+ \\(commit \\S+, built .*"));
  }

  @Test
  public void anUnknownCommandSaysSo() {
    CliRun r = CliRun.of("rnu");
    assertEquals(2, r.status());
    assertThat(r.err(), containsString("rnu"));
    assertThat(r.err(), not(containsString("\tat ")));
  }

  @Test
  public void aMistypedSqlOptionIsNamedNotGluedIntoTheQuery() {
    CliRun r = CliRun.of("sql", "--outptu=x", "select 1");
    assertEquals(2, r.status());
    assertThat(r.err(), containsString("--outptu=x"));
    assertThat(r.err(), containsString("did you mean --output"));
    assertThat(r.err(), containsString("trendlake sql --help"));
  }

  @Test
  public void aMistypedRunOptionIsNamedWithTheNearestOption() {
    CliRun r = CliRun.of("run", "--outptu=x");
    assertEquals(2, r.status());
    assertThat(r.err(), containsString("unknown option --outptu (did you mean --output?)"));
  }

  @Test
  public void aBadFormatNamesTheAcceptedValues() {
    CliRun r = CliRun.of("sql", "--format=xml", "select 1");
    assertEquals(2, r.status());
    assertThat(r.err(), containsString("--format"));
    assertThat(r.err(), containsString("table, csv, json"));
  }

  @Test
  public void aBareOptionListMeansRun() {
    CliRun r = CliRun.of("--maxFileMegabytes=abc");
    assertEquals(2, r.status());
    assertThat(
        r.err(),
        containsString(
            "--maxFileMegabytes takes a whole number of megabytes greater than 0, got 'abc'"));
  }
}
