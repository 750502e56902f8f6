package dev.trendlake.pipeline.continuous;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import dev.trendlake.pipeline.commit.ManifestStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Set;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The watcher's view of the lake's state: a {@code latest.json} read half-written (as a store that
 * serves an object while it is replaced shows it) keeps the state read before for a poll, and is
 * read again once it changes; with no state read before, the poll fails.
 */
public class CommittedStateTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private static String state(String... files) {
    StringBuilder s = new StringBuilder("{\"partitions\": {}, \"files\": [");
    for (int i = 0; i < files.length; i++) {
      s.append(i == 0 ? "" : ", ")
          .append("{\"path\": \"")
          .append(files[i])
          .append("\", \"kind\": \"statistics\", \"size\": 10, \"token\": \"mtime:1\"}");
    }
    return s.append("]}").toString();
  }

  private static void write(Path latest, String text, long millis) throws Exception {
    Files.writeString(latest, text, StandardCharsets.UTF_8);
    Files.setLastModifiedTime(latest, FileTime.fromMillis(millis));
  }

  @Test
  public void aHalfWrittenStateKeepsTheOneReadBeforeUntilItIsWhole() throws Exception {
    Path out = tmp.newFolder("lake").toPath();
    Path latest = Files.createDirectories(out.resolve("_manifests")).resolve("latest.json");
    CommittedState committed = new CommittedState(out.toString());
    assertEquals(Set.of(), committed.get().files().keySet());

    write(latest, state("a.csv"), 1_000_000L);
    assertEquals(Set.of("a.csv"), committed.get().files().keySet());

    String whole = state("a.csv", "b.csv");
    write(latest, whole.substring(0, whole.length() / 2), 2_000_000L);
    assertEquals(Set.of("a.csv"), committed.get().files().keySet());

    write(latest, whole, 3_000_000L);
    assertEquals(Set.of("a.csv", "b.csv"), committed.get().files().keySet());
  }

  @Test
  public void aHalfWrittenStateWithNoneReadBeforeFailsThePoll() throws Exception {
    Path out = tmp.newFolder("lake").toPath();
    Path latest = Files.createDirectories(out.resolve("_manifests")).resolve("latest.json");
    String whole = state("a.csv");
    write(latest, whole.substring(0, whole.length() / 2), 1_000_000L);
    CommittedState committed = new CommittedState(out.toString());
    assertThrows(ManifestStore.Unreadable.class, committed::get);
  }
}
