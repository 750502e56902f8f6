package dev.trendlake.pipeline.io;

import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The local listing: every entry under the folder is read or skipped with a reason, and the link
 * policy (follow inside the root, each real file once) holds.
 */
public class MatchFilesTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private Path root;

  private Path file(String relative) throws IOException {
    Path p = root.resolve(relative);
    Files.createDirectories(p.getParent());
    Files.write(p, "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8));
    return p;
  }

  private LocalListing.Result list() throws IOException {
    return LocalListing.list(root, "raw_statistics", "csv");
  }

  private List<String> read(LocalListing.Result r) {
    return r.files().stream().map(f -> root.relativize(f.path()).toString()).sorted().toList();
  }

  /** Skipped entries with the start of their reason. */
  private static Map<String, String> skipped(LocalListing.Result r) {
    Map<String, String> out = new TreeMap<>();
    r.skipped().forEach((k, v) -> out.put(k, v.substring(0, Math.min(v.length(), 24))));
    return out;
  }

  @Test
  public void readsEveryCsvNameAndSaysWhyItSkipsTheRest() throws Exception {
    root = tmp.newFolder("bronze").toPath();
    file("raw_statistics/region=us/a.csv");
    file("raw_statistics/region=us/UPPER.CSV");
    file("raw_statistics/region=us/vidéo_日本.csv");
    file("raw_statistics/region=us/new\nline.csv");
    file("raw_statistics/region=us/notes.txt");
    Path fifo = root.resolve("raw_statistics/region=us/fifo.csv");
    new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
    Files.createSymbolicLink(
        root.resolve("raw_statistics/region=us/dangling.csv"), root.resolve("nowhere.csv"));
    // a name with the Latin-1 byte E9: Java can't write it, a shell can
    new ProcessBuilder("sh", "-c", "touch \"$(printf 'caf\\351.csv')\"")
        .directory(root.resolve("raw_statistics/region=us").toFile())
        .start()
        .waitFor();
    LocalListing.Result r = list();
    assertEquals(
        List.of(
            "raw_statistics/region=us/UPPER.CSV",
            "raw_statistics/region=us/a.csv",
            "raw_statistics/region=us/new\nline.csv",
            "raw_statistics/region=us/vidéo_日本.csv"),
        read(r));
    assertEquals(
        Map.of(
            "raw_statistics/region=us/caf\uFFFD.csv", "a file name that is not ",
            "raw_statistics/region=us/dangling.csv", "a link to nothing (/tmp/",
            "raw_statistics/region=us/fifo.csv", "not a regular file (a na",
            "raw_statistics/region=us/notes.txt", "not a .csv file: not rea"),
        skipped(r));
  }

  @Test
  public void linksAreFollowedInsideTheRootOnceAndNeverOutside() throws Exception {
    root = tmp.newFolder("bronze").toPath();
    Path outside = tmp.newFolder("elsewhere").toPath();
    Files.write(outside.resolve("x.csv"), new byte[] {'a'});
    file("raw_statistics/region=us/a.csv");
    file("archive/region=gb/old.csv");
    Path us = root.resolve("raw_statistics/region=us");
    Files.createSymbolicLink(us.resolve("loop"), us);
    Files.createSymbolicLink(us.resolve("loop2"), root.resolve("raw_statistics"));
    Files.createSymbolicLink(us.resolve("same.csv"), us.resolve("a.csv"));
    Files.createSymbolicLink(us.resolve("out"), outside);
    Files.createSymbolicLink(root.resolve("raw_statistics/gb"), root.resolve("archive"));
    Files.createSymbolicLink(us.resolve("cycle1"), us.resolve("cycle2"));
    Files.createSymbolicLink(us.resolve("cycle2"), us.resolve("cycle1"));
    LocalListing.Result r = list();
    assertEquals(
        List.of("raw_statistics/gb/region=gb/old.csv", "raw_statistics/region=us/a.csv"), read(r));
    assertEquals(
        Map.of(
            "raw_statistics/region=us/cycle1", "a link that can't be res",
            "raw_statistics/region=us/cycle2", "a link that can't be res",
            "raw_statistics/region=us/loop", "a link to the folder raw",
            "raw_statistics/region=us/loop2", "a link to the folder raw",
            "raw_statistics/region=us/out", "a link to " + outside.toString().substring(0, 14),
            "raw_statistics/region=us/same.csv", "a link to the file raw_s"),
        skipped(r));
  }

  @Test
  public void aMissingFolderListsNothingAndADanglingOneSaysSo() throws Exception {
    root = tmp.newFolder("bronze").toPath();
    assertEquals(0, list().files().size());
    assertEquals(0, list().skipped().size());
    Files.createSymbolicLink(root.resolve("raw_statistics"), root.resolve("gone"));
    assertEquals(Map.of("raw_statistics", "a link to nothing: the f"), skipped(list()));
  }

  @Test
  public void theFolderItselfMayBeALinkAnywhere() throws Exception {
    root = tmp.newFolder("bronze").toPath();
    Path elsewhere = tmp.newFolder("mounted").toPath();
    Files.createDirectories(elsewhere.resolve("region=us"));
    Files.write(elsewhere.resolve("region=us/a.csv"), new byte[] {'a'});
    Files.createSymbolicLink(root.resolve("raw_statistics"), elsewhere);
    assertEquals(List.of("raw_statistics/region=us/a.csv"), read(list()));
  }
}
