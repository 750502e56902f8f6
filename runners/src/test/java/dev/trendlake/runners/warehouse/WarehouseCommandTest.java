package dev.trendlake.runners.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.trendlake.runners.CliRun;
import dev.trendlake.testkit.TestWarehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code trendlake warehouse start|stop|status} with real processes: a server started by one
 * command line outlives it, serves psql/JDBC clients on the port it printed, is used by {@code run}
 * and {@code sql} while it runs, stops cleanly; a pid file whose process is gone is told apart.
 */
public class WarehouseCommandTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private Path output;

  @BeforeClass
  public static void stateDir() throws Exception {
    System.setProperty(
        "trendlake.stateDir", Files.createTempDirectory("trendlake-state").toString());
  }

  @After
  public void stopAnyServer() {
    if (output != null) {
      cli("warehouse", "stop", "--output=" + output);
    }
  }

  static CliRun cli(String... args) {
    return CliRun.of(args);
  }

  /** {@code trendlake warehouse start} in a JVM of its own, which exits when it has started. */
  static CliRun startInAnotherProcess(Path output) throws Exception {
    Path log = Files.createTempFile("warehouse-start", ".log");
    Process p =
        new ProcessBuilder(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.trendlake.runners.Launcher",
                "warehouse",
                "start",
                "--output=" + output)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    assertTrue("start did not return", p.waitFor(180, TimeUnit.SECONDS));
    return new CliRun(p.exitValue(), Files.readString(log), "");
  }

  @Test
  public void aStartedServerOutlivesItsCommandServesClientsRunsAndQueriesAndStops()
      throws Exception {
    output = tmp.newFolder("lake").toPath();
    Path dir = output.resolve("warehouse");
    assertEquals(1, cli("warehouse", "status", "--output=" + output).status());

    CliRun started = startInAnotherProcess(output);
    assertEquals(started.out(), 0, started.status());
    assertThat(started.out(), containsString("psql \"postgresql://postgres@localhost:"));
    WarehouseServer.Announced a = WarehouseServer.live(dir).orElseThrow();
    assertThat(started.out(), containsString("port        " + a.port()));
    assertThat(started.out(), containsString(a.jdbcUrl() + "?currentSchema=trendlake"));

    // the command's JVM has exited; the server answers a client on the printed port
    CliRun status = cli("warehouse", "status", "--output=" + output);
    assertEquals(status.out(), 0, status.status());
    assertThat(status.out(), containsString("running for " + dir));
    assertEquals("1", query(a.jdbcUrl(), "SELECT 1"));
    assertEquals(0, cli("warehouse", "start", "--output=" + output).status()); // already running

    // run loads into it and leaves it up; sql queries it (a second server on the folder would be
    // refused by PostgreSQL, so neither may start one)
    CliRun run =
        cli(
            "run",
            "--input=" + TestWarehouse.bronze(),
            "--output=" + output,
            "--warehouse=embedded",
            "--enforceEncodability=false",
            "--enforceImmutability=false");
    assertEquals(run.err(), 0, run.status());
    assertTrue(WarehouseServer.live(dir).isPresent());
    long facts =
        Long.parseLong(query(a.jdbcUrl(), "SELECT COUNT(*) FROM trendlake.fact_video_trending"));
    assertThat(facts, greaterThan(0L));
    CliRun sql =
        cli(
            "sql",
            "--output=" + output,
            "--format=csv",
            "SELECT COUNT(*) AS n FROM fact_video_trending");
    assertEquals(sql.err(), 0, sql.status());
    assertEquals("n\r\n" + facts + "\r\n", sql.out());

    CliRun stop = cli("warehouse", "stop", "--output=" + output);
    assertEquals(stop.err(), 0, stop.status());
    assertThat(stop.out(), containsString("stopped"));
    assertFalse(ProcessHandle.of(a.pid()).map(ProcessHandle::isAlive).orElse(false));
    assertFalse(a.listening());
    assertFalse(Files.exists(dir.resolve(WarehouseServer.FILE)));
    assertEquals(1, cli("warehouse", "status", "--output=" + output).status());
    // the data stays: a run or query without the server starts one on it
    CliRun again =
        cli(
            "sql",
            "--output=" + output,
            "--format=csv",
            "SELECT COUNT(*) AS n FROM" + " fact_video_trending");
    assertEquals("n\r\n" + facts + "\r\n", again.out());
  }

  @Test
  public void aPidFileWhoseProcessIsGoneIsStaleNotRunning() throws Exception {
    output = tmp.newFolder("stale").toPath();
    Path dir = Files.createDirectories(output.resolve("warehouse"));
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Files.writeString(
        dir.resolve(WarehouseServer.FILE),
        "pid=" + gone.pid() + "\nport=" + TestWarehouse.closedPort() + "\nstarted=yesterday\n");
    CliRun status = cli("warehouse", "status", "--output=" + output);
    assertEquals(1, status.status());
    assertThat(status.out(), containsString("stale pid file: pid " + gone.pid() + " is gone"));
    CliRun stop = cli("warehouse", "stop", "--output=" + output);
    assertEquals(0, stop.status());
    assertThat(stop.out(), containsString("removed the stale pid file of pid " + gone.pid()));
    assertFalse(Files.exists(dir.resolve(WarehouseServer.FILE)));
    assertEquals(List.of(), List.of(dir.toFile().list((d, n) -> n.endsWith(".tmp"))));
  }

  static String query(String url, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(url, "postgres", "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
