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
 * kill -9 of a continuous job in the middle of one of its commits, then a new continuous job on the
 * same lake: the lake it leaves, once the rest of bronze has arrived, equals one batch run's. The
 * killed job is a child JVM stopped at a named point ({@link PausePoint}): while a commit writes
 * its partitions (nothing of that commit is in the lake; the new job reads those files again), and
 * halfway through moving a commit's files (the new job finishes that commit before it starts).
 */
public class ContinuousCrashTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void killedWhileACommitWritesThenStartedAgainGivesTheBatchLake() throws Exception {
    CliRun again = killedAt(PausePoint.WRITE);
    assertThat(again.all(), org.hamcrest.Matchers.not(containsString("finished the commit")));
  }

  @Test
  public void killedHalfwayThroughACommitThenStartedAgainGivesTheBatchLake() throws Exception {
    CliRun again = killedAt(PausePoint.COMMIT);
    assertThat(again.all(), containsString("finished the commit of run cont-killed."));
  }

  /**
   * SIGTERM (what Ctrl-C's SIGINT also does: the JVM runs its shutdown hooks) a few seconds after a
   * wave lands: the job commits what it read, ends, stops its embedded warehouse and releases the
   * output's lock, so the next job starts without {@code --breakLock}; the lake then equals one
   * batch run's.
   */
  @Test
  public void sigtermEndsTheJobAfterItsCommitsAndReleasesTheLock() throws Exception {
    Arrivals a = new Arrivals(TestRuns.bronze(), tmp.newFolder("bronze").toPath());
    Path out = tmp.newFolder("continuous").toPath();
    List<String> first = ContinuousRunTest.arrive(a, 0);
    Path log = tmp.getRoot().toPath().resolve("sigterm.log");
    // the embedded warehouse (the default of a local output) is stopped after the job, before the
    // lock is released: the shutdown hook must wait for both
    Process child =
        start(a, out, List.of(), List.of("--runId=cont-term", "--commitDelay=PT4S"), log);
    try {
      awaitCommitted(child, log, a, out, first);
      ContinuousRunTest.arrive(a, 1);
      // most often the watcher has emitted the wave by now and its rows wait in CommitDelay
      Thread.sleep(3000);
      child.destroy();
      assertTrue("the job ended after SIGTERM", child.waitFor(240, TimeUnit.SECONDS));
    } finally {
      child.destroyForcibly();
    }
    String text = Files.readString(log);
    assertThat(text, containsString("stopping after the current commits"));
    assertThat(text, containsString("ended after"));
    assertFalse("the lock is released:\n" + text, Files.exists(out.resolve("_lock.json")));
    assertFalse(Files.exists(out.resolve("_manifests/_drain.json")));

    ContinuousJob job =
        ContinuousJob.start(
            a,
            out,
            "--runId=cont-next",
            "--watchInterval=PT1S",
            "--commitDelay=PT1S",
            "--stopWhenIdle=PT3S");
    job.awaitCommitted(a, ContinuousRunTest.arrive(a, 2), 240);
    job.awaitEnd(240);
    Path batch = tmp.newFolder("batch").toPath();
    Arrivals.succeeded(a.run(batch, "--runner=DirectRunner"));
    Arrivals.assertSameLake("continuous job stopped by SIGTERM, then another", batch, out);
  }

  /** Waits until the lake's state holds {@code files} as they are on disk. */
  private static void awaitCommitted(
      Process child, Path log, Arrivals a, Path out, List<String> files) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
    java.util.TreeMap<String, String> want = new java.util.TreeMap<>();
    for (String f : files) {
      want.put(f, "mtime:" + Files.getLastModifiedTime(a.bronze.resolve(f)).toMillis());
    }
    while (!ContinuousJob.committed(out).entrySet().containsAll(want.entrySet())) {
      if (!child.isAlive()) {
        throw new AssertionError("the continuous job ended early:\n" + Files.readString(log));
      }
      assertTrue("committed in time: " + want, System.nanoTime() < deadline);
      Thread.sleep(200);
    }
  }

  private CliRun killedAt(String point) throws Exception {
    Arrivals a = new Arrivals(TestRuns.bronze(), tmp.newFolder("bronze").toPath());
    Path out = tmp.newFolder("continuous").toPath();
    List<String> first = ContinuousRunTest.arrive(a, 0);

    Path marker = tmp.getRoot().toPath().resolve("paused-" + point);
    Process child = startPaused(a, out, point, marker);
    try {
      waitFor(marker, child);
    } finally {
      child.destroyForcibly(); // SIGKILL: no shutdown hook, no drain
      child.waitFor(60, TimeUnit.SECONDS);
    }
    assertTrue("the killed job left its lock", Files.exists(out.resolve("_lock.json")));
    assertEquals(
        "the commit was cut halfway",
        point.equals(PausePoint.COMMIT),
        Files.exists(out.resolve("_manifests/_commit.json")));

    List<String> second = ContinuousRunTest.arrive(a, 1);
    ContinuousJob job =
        ContinuousJob.start(
            a,
            out,
            "--runId=cont-again",
            "--breakLock",
            "--watchInterval=PT1S",
            "--commitDelay=PT1S",
            "--stopWhenIdle=PT3S");
    job.awaitCommitted(a, first, 240);
    job.awaitCommitted(a, second, 240);
    job.awaitCommitted(a, ContinuousRunTest.arrive(a, 2), 240);
    CliRun again = job.awaitEnd(240);
    assertThat(again.all(), containsString("removed the lock of run cont-killed"));
    assertFalse(Files.exists(out.resolve("_manifests/_commit.json")));

    Path batch = tmp.newFolder("batch").toPath();
    Arrivals.succeeded(a.run(batch, "--runner=DirectRunner"));
    Arrivals.assertSameLake("continuous job killed at " + point + ", then another", batch, out);
    return again;
  }

  private static Process startPaused(Arrivals a, Path out, String point, Path marker)
      throws IOException {
    return start(
        a,
        out,
        List.of("-Dtrendlake.pauseAt=" + point, "-Dtrendlake.pauseMarker=" + marker),
        List.of("--runId=cont-killed", "--commitDelay=PT1S", "--warehouse=none"),
        marker.resolveSibling(marker.getFileName() + ".log"));
  }

  /** A continuous run in a child JVM, its output to {@code log}. */
  private static Process start(
      Arrivals a, Path out, List<String> jvm, List<String> options, Path log) throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx768m"));
    cmd.addAll(jvm);
    cmd.addAll(
        List.of(
            "-cp",
            System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
            "dev.trendlake.runners.Launcher",
            "run",
            "--continuous",
            "--watchInterval=PT1S",
            "--input=" + a.bronze,
            "--output=" + out,
            "--runner=DirectRunner"));
    cmd.addAll(options);
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private static void waitFor(Path marker, Process child) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
    while (!Files.exists(marker)) {
      if (!child.isAlive()) {
        Path log = marker.resolveSibling(marker.getFileName() + ".log");
        throw new AssertionError(
            "the continuous job ended (status "
                + child.exitValue()
                + ") before reaching its pause point:\n"
                + Files.readString(log));
      }
      assertTrue(
          "the continuous job reached its pause point in time", System.nanoTime() < deadline);
      Thread.sleep(50);
    }
    assertTrue(child.isAlive());
  }
}
