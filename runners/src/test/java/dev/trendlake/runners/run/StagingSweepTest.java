package dev.trendlake.runners.run;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Staging of dead runs is swept, a live run's never; a failed run removes its own. */
public class StagingSweepTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private static void file(Path p) throws IOException {
    Files.createDirectories(p.getParent());
    Files.write(p, new byte[10]);
  }

  private static List<String> runs(Path out) throws IOException {
    try (Stream<Path> s = Files.list(out.resolve("_staging"))) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  public void sweepsDeadRunsOnlyAndAFailedRunRemovesItsOwn() throws IOException {
    Path out = tmp.newFolder("lake").toPath();
    String output = out.toString();
    // killed before it held a lock, killed while holding one, alive in this JVM, and ourselves
    file(out.resolve("_staging/dead1/gold/trending/region=us/part-00000.parquet"));
    file(out.resolve("_staging/dead2/silver/a.parquet"));
    file(out.resolve("_staging/dead2/" + StagingSweep.LOCK));
    try (Closeable alive = StagingSweep.markAlive(output, "alive");
        Closeable own = StagingSweep.markAlive(output, "own")) {
      file(out.resolve("_staging/alive/gold/x.parquet"));
      file(out.resolve("_staging/own/gold/y.parquet"));
      String swept = StagingSweep.sweepOthers(output, "own", null, Duration.ZERO);
      assertEquals(
          "removed the staging of runs no longer alive: dead1 (1 files), dead2 (1 files)", swept);
      assertEquals(List.of("alive", "own"), runs(out));
      assertEquals("", StagingSweep.sweepOthers(output, "own", null, Duration.ZERO));

      String removed = StagingSweep.removeOwn(output, "own", null);
      assertTrue(removed, removed.startsWith("removed 1 staged file(s) from "));
      assertEquals(List.of("alive"), runs(out));
    }
    // once its process let go, the other run's staging is a dead run's too
    StagingSweep.sweepOthers(output, "next", null, Duration.ZERO);
    assertFalse(Files.exists(out.resolve("_staging/alive")));
    StagingSweep.removeOwn(output, "next", null);
    assertFalse("the emptied staging root goes", Files.exists(out.resolve("_staging")));
  }

  @Test
  public void twoProcessesCannotShareARunId() throws IOException {
    String output = tmp.newFolder("lake").toString();
    try (Closeable first = StagingSweep.markAlive(output, "same")) {
      try {
        StagingSweep.markAlive(output, "same").close();
      } catch (java.nio.channels.OverlappingFileLockException | IOException e) {
        return; // refused
      }
      throw new AssertionError("a second holder of the same run id was accepted");
    }
  }
}
