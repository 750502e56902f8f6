package dev.trendlake.pipeline.commit;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.trendlake.transforms.youtube.YouTubeDataset;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The committed state survives a missing, corrupt or stale latest.json. */
public class ManifestStoreTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private Path out;
  private long clock = 1_700_000_000_000L;

  @Before
  public void setUp() throws IOException {
    out = tmp.newFolder("lake").toPath();
    Files.createDirectories(out.resolve("_manifests"));
  }

  private void write(String name, String text) throws IOException {
    Path p = out.resolve("_manifests/" + name);
    Files.write(p, text.getBytes(StandardCharsets.UTF_8));
    clock += 60_000;
    Files.setLastModifiedTime(p, FileTime.fromMillis(clock));
  }

  private static String manifest(String runId, String status) {
    return "{\"run_id\": \"" + runId + "\", \"status\": \"" + status + "\"}";
  }

  private String lastRun() throws IOException {
    return ManifestStore.lastCommitted(out.toString()).orElseThrow().runId();
  }

  private List<String> notes() throws IOException {
    return ManifestStore.lastCommitted(out.toString()).orElseThrow().notes();
  }

  @Test
  public void noRunYetIsEmpty() throws IOException {
    assertFalse(ManifestStore.lastCommitted(out.toString()).isPresent());
    assertFalse(ManifestStore.lastCommitted(tmp.newFolder("other").toString()).isPresent());
  }

  @Test
  public void latestAgreesWithTheNewestCompleteRun() throws IOException {
    write("a.json", manifest("a", "succeeded"));
    write("b.json", manifest("b", "succeeded"));
    write("latest.json", manifest("b", "succeeded"));
    assertEquals("b", lastRun());
    assertEquals(List.of(), notes());
  }

  @Test
  public void anEmptyOrCutShortLatestFallsBackToTheNewestCompleteRun() throws IOException {
    write("a.json", manifest("a", "succeeded"));
    write("b.json", manifest("b", "succeeded"));
    for (String broken : new String[] {"", "{\"run_id\": \"b\", \"sta"}) {
      write("latest.json", broken);
      assertEquals("b", lastRun());
      assertTrue(notes().toString(), notes().get(0).startsWith("latest.json is missing or"));
    }
    Files.delete(out.resolve("_manifests/latest.json"));
    assertEquals("b", lastRun());
  }

  @Test
  public void aRunStoppedBeforeUpdatingLatestIsTheState() throws IOException {
    write("a.json", manifest("a", "succeeded"));
    write("latest.json", manifest("a", "succeeded"));
    write("b.json", manifest("b", "succeeded"));
    assertEquals("b", lastRun());
    assertTrue(notes().get(0), notes().get(0).contains("names run a, but run b committed after"));
  }

  @Test
  public void failedAndInterruptedRunsAreNotTheStateButAreNoted() throws IOException {
    write("a.json", manifest("a", "succeeded"));
    write("latest.json", manifest("a", "succeeded"));
    write("b.json", manifest("b", "failed"));
    write("c.json", manifest("c", "committing"));
    write("d.json", "{\"run_id\": \"d\", \"status\": \"succ");
    write(".latest.json123.tmp", "{");
    assertEquals("a", lastRun());
    assertEquals(2, notes().size());
    assertTrue(notes().get(0), notes().get(0).contains("d.json is not a complete manifest"));
    assertTrue(notes().get(1), notes().get(1).startsWith("run c stopped while committing"));
  }

  @Test
  public void atomicWritesLeaveOnlyWholeDocuments() throws IOException {
    RunInfo info =
        new RunInfo(
            "r1",
            "2026-01-01T00:00:00Z",
            "DirectRunner",
            "in",
            out.toString(),
            new java.util.TreeMap<>());
    Manifest.write(
        out.resolve("_manifests/latest.json").toString(),
        Manifest.toJson(
            info,
            Increment.full(LakeState.EMPTY),
            CommitStep.of(
                dev.trendlake.transforms.tally.RunTally.EMPTY,
                Increment.full(LakeState.EMPTY),
                YouTubeDataset.INSTANCE),
            "succeeded",
            "2026-01-01T00:00:01Z",
            List.of(),
            YouTubeDataset.INSTANCE));
    try (var s = Files.list(out.resolve("_manifests"))) {
      assertEquals(List.of("latest.json"), s.map(p -> p.getFileName().toString()).toList());
    }
    assertEquals("r1", lastRun());
  }
}
