package dev.trendlake.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.trendlake.pipeline.PausePoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * kill -9 in the middle of an incremental run, then a re-run: the lake equals the one of runs that
 * were never interrupted. The run is a child JVM stopped at a named point ({@link PausePoint}) and
 * killed there with SIGKILL: while it writes (nothing committed: the re-run does the batch again),
 * and halfway through moving its files (the re-run finishes that commit first).
 */
public class CrashRecoveryTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void killedWhileWritingThenRunAgainGivesTheUninterruptedLake() throws Exception {
    Path out = killedAt(PausePoint.WRITE);
    assertFalse("nothing was committed", Files.exists(out.resolve("_manifests/_commit.json")));
  }

  @Test
  public void killedHalfwayThroughTheCommitThenRunAgainGivesTheUninterruptedLake()
      throws Exception {
    killedAt(PausePoint.COMMIT);
  }

  private Path killedAt(String point) throws Exception {
    Arrivals a = new Arrivals(TestRuns.bronze(), tmp.newFolder("bronze").toPath());
    Path out = tmp.newFolder("killed").toPath();
    a.arrive(IncrementalRunTest.BATCHES.get(0));
    Arrivals.succeeded(a.run(out, "--runner=DirectRunner"));
    a.arrive(IncrementalRunTest.BATCHES.get(1));
    a.arrive(IncrementalRunTest.BATCHES.get(2));

    Path marker = tmp.getRoot().toPath().resolve("paused-" + point);
    Process child = startPaused(a, out, point, marker);
    try {
      waitFor(marker, child);
    } finally {
      child.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs
      child.waitFor(60, TimeUnit.SECONDS);
    }
    assertTrue("the killed run left its lock", Files.exists(out.resolve("_lock.json")));
    if (point.equals(PausePoint.COMMIT)) {
      assertTrue(
          "the commit was cut halfway", Files.exists(out.resolve("_manifests/_commit.json")));
    }

    CliRun again = Arrivals.succeeded(a.run(out, "--runner=DirectRunner", "--breakLock"));
    assertThat(again.all(), containsString("removed the lock of run"));
    if (point.equals(PausePoint.COMMIT)) {
      assertThat(again.all(), containsString("finished the commit of run"));
      assertThat(again.all(), containsString("nothing new under"));
    }
    assertFalse(Files.exists(out.resolve("_manifests/_commit.json")));

    // the rest arrives; compared with the same batches never interrupted
    a.arrive(IncrementalRunTest.BATCHES.get(3));
    Arrivals.succeeded(a.run(out, "--runner=DirectRunner"));
    Path full = tmp.newFolder("full").toPath();
    Arrivals.succeeded(a.run(full, "--runner=DirectRunner", "--mode=full"));
    Arrivals.assertSameLake("killed at " + point + " and run again", full, out);
    return out;
  }

  private static Process startPaused(Arrivals a, Path out, String point, Path marker)
      throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m",
                "-Dtrendlake.pauseAt=" + point,
                "-Dtrendlake.pauseMarker=" + marker,
                "-cp",
                System.getProperty(
                    "surefire.test.class.path", System.getProperty("java.class.path")),
                "dev.trendlake.runners.Launcher",
                "run",
                "--input=" + a.bronze,
                "--output=" + out,
                "--warehouse=none",
                "--runner=DirectRunner"));
    Path log = marker.resolveSibling(marker.getFileName() + ".log");
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private static void waitFor(Path marker, Process child) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
    while (!Files.exists(marker)) {
      if (!child.isAlive()) {
        Path log = marker.resolveSibling(marker.getFileName() + ".log");
        throw new AssertionError(
            "the child run ended (status "
                + child.exitValue()
                + ") before reaching its pause point:\n"
                + Files.readString(log));
      }
      assertTrue("the child run reached its pause point in time", System.nanoTime() < deadline);
      Thread.sleep(50);
    }
    assertEquals(true, child.isAlive());
  }
}
