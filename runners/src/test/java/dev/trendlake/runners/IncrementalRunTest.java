package dev.trendlake.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Incremental runs over testdata/bronze arriving in five batches: the same lake as one full run, a
 * run with nothing new that does nothing, processed files that change or go refused unless {@code
 * --reprocess=changed} (which then equals a full run), and one writer per output.
 */
public class IncrementalRunTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  public static final String US = "raw_statistics/region=us/ts=201711140000/USvideos.csv";
  public static final String LATE = "raw_statistics/region=us/ts=201711160000/late.csv";

  /** The testdata files in five arrival batches; the late file is written into the last. */
  public static final List<List<String>> BATCHES =
      List.of(
          List.of("raw_statistics_reference_data/US_category_id.json", US),
          List.of(
              "raw_statistics/region=us/ts=201711150000/header_only.csv",
              "raw_statistics/region=us/ts=201711150000/empty.csv",
              "raw_statistics_reference_data/CA_category_id.json"),
          List.of(
              "raw_statistics/region=CA/ts=201711140000/CAvideos.csv",
              "raw_statistics/misc/no_region.csv"),
          List.of(
              "raw_statistics/region=gb/ts=202008120000/GB_youtube_trending_data.csv",
              "raw_statistics_reference_data/region=gb/GB_category_id.json",
              // a second US category file: region us's gold is joined again
              "raw_statistics_reference_data/2018/US_category_id.json"),
          List.of(
              "raw_statistics/region=fr/ts=201711140000/FR_export.csv",
              "raw_statistics_reference_data/IN_category_id.json"));

  /**
   * Arrives with the last batch: a better copy (more views) of a row the first batch committed, and
   * a new video for the same, already written, partition.
   */
  public static final String LATE_CSV =
      "video_id,trending_date,title,channel_title,category_id,publish_time,tags,views,likes,"
          + "dislikes,comment_count,thumbnail_link,comments_disabled,ratings_disabled,"
          + "video_error_or_removed,description\n"
          + "2kyS6SvSYSE,17.14.11,WE WANT TO TALK ABOUT OUR MARRIAGE,CaseyNeistat,22,"
          + "2017-11-13T17:13:01.000Z,SHANtell martin,748999,57527,2966,15954,"
          + "https://i.ytimg.com/vi/2kyS6SvSYSE/default.jpg,False,False,False,fetched again\n"
          + "LATEvideo01,17.14.11,A late arrival,Some Channel,24,2017-11-13T10:00:00.000Z,[none],"
          + "1000,10,1,5,https://i.ytimg.com/vi/LATEvideo01/default.jpg,False,False,False,late\n";

  private Arrivals arrivals() throws IOException {
    return new Arrivals(TestRuns.bronze(), tmp.newFolder("bronze").toPath());
  }

  /** Every batch arrives and is run incrementally with the options; returns the output. */
  static Path runBatches(Arrivals a, Path out, String... options) {
    for (int i = 0; i < BATCHES.size(); i++) {
      a.arrive(BATCHES.get(i));
      if (i == BATCHES.size() - 1) {
        a.write(LATE, LATE_CSV);
      }
      Arrivals.succeeded(a.run(out, options));
    }
    return out;
  }

  @Test
  public void fiveBatchesRunIncrementallyGiveTheLakeOfOneFullRun() throws IOException {
    Arrivals a = arrivals();
    Path inc = runBatches(a, tmp.newFolder("incremental").toPath(), "--runner=DirectRunner");

    JsonNode last = Arrivals.lastRun(inc);
    assertEquals(
        "the last run read its two new statistics files and the category files",
        List.of(
            "raw_statistics/region=fr/ts=201711140000/FR_export.csv",
            LATE,
            "raw_statistics_reference_data/2018/US_category_id.json",
            "raw_statistics_reference_data/CA_category_id.json",
            "raw_statistics_reference_data/IN_category_id.json",
            "raw_statistics_reference_data/US_category_id.json",
            "raw_statistics_reference_data/region=gb/GB_category_id.json"),
        strings(last.path("files_read")));
    assertEquals(6, last.path("files_skipped").asLong());
    assertEquals(
        "only the partition the late file reached is rewritten",
        List.of("region=us/trending_date=2017-11-14"),
        strings(last.path("partitions_rewritten")));
    assertEquals(
        "the replaced copy is a duplicate of this run", 1, last.path("duplicates").asLong());

    Path full = tmp.newFolder("full").toPath();
    Arrivals.succeeded(a.run(full, "--runner=DirectRunner", "--mode=full"));
    Arrivals.assertSameLake("5 incremental runs vs 1 full run", full, inc);
    assertThat(
        "the better copy won",
        String.join(
            "\n",
            LakeSnapshot.rowsOf(inc)
                .rows
                .get("silver/statistics/region=us/trending_date=2017-11-14")),
        containsString("748999"));
  }

  @Test
  public void onEmbeddedFlinkTheBatchesGiveTheLakeOfAFullDirectRun() throws IOException {
    Arrivals a = arrivals();
    Path inc =
        runBatches(a, tmp.newFolder("flink").toPath(), "--runner=FlinkRunner", "--parallelism=2");
    Path full = tmp.newFolder("full").toPath();
    Arrivals.succeeded(a.run(full, "--runner=DirectRunner", "--mode=full"));
    Arrivals.assertSameLake("5 incremental runs on Flink vs 1 full run on Direct", full, inc);
  }

  @Test
  public void aRunWithNothingNewReadsNothingRewritesNothingAndSaysSoInOneLine() throws IOException {
    Arrivals a = arrivals();
    Path out = tmp.newFolder("lake").toPath();
    a.arrive(BATCHES.get(0));
    Arrivals.succeeded(a.run(out, "--runner=DirectRunner"));
    byte[] latest = Files.readAllBytes(out.resolve("_manifests/latest.json"));
    List<String> before = listing(out);

    CliRun again = Arrivals.succeeded(a.run(out, "--runner=DirectRunner"));

    assertEquals(
        "trendlake: nothing new under "
            + a.bronze
            + ": all 1 statistics file(s) were processed before and no categories file changed;"
            + " nothing was read or rewritten.",
        again.out().strip());
    assertEquals("", again.err());
    assertEquals(
        new String(latest, StandardCharsets.UTF_8),
        Files.readString(out.resolve("_manifests/latest.json")));
    assertEquals("no file written, moved or removed", before, listing(out));
  }

  @Test
  public void changedAndDeletedFilesAreRefusedAndReprocessingThemEqualsAFullRun()
      throws IOException {
    Arrivals a = arrivals();
    Path out = runBatches(a, tmp.newFolder("lake").toPath(), "--runner=DirectRunner");

    // a processed file changes: one row re-fetched with more views, one row gone
    Path us = a.bronze.resolve(US);
    // bytes kept as they are: the file holds invalid UTF-8 on purpose
    List<String> lines = new ArrayList<>(Files.readAllLines(us, StandardCharsets.ISO_8859_1));
    lines.set(1, lines.get(1).replace(",748374,", ",750000,"));
    lines.remove(2);
    Files.write(us, lines, StandardCharsets.ISO_8859_1);
    Files.setLastModifiedTime(us, FileTime.fromMillis(System.currentTimeMillis() + 5000));
    // and another disappears
    Files.delete(a.bronze.resolve("raw_statistics/region=CA/ts=201711140000/CAvideos.csv"));

    CliRun refused = a.run(out, "--runner=DirectRunner");
    assertEquals(refused.all(), 2, refused.status());
    assertThat(refused.err(), containsString("changed  " + US));
    assertThat(
        refused.err(),
        containsString("gone     raw_statistics/region=CA/ts=201711140000/CAvideos.csv"));
    assertThat(refused.err(), containsString("--reprocess=changed"));
    assertThat(refused.err(), containsString("--mode=full"));
    assertThat(refused.err(), not(containsString("\tat ")));

    CliRun re = Arrivals.succeeded(a.run(out, "--runner=DirectRunner", "--reprocess=changed"));
    assertThat(re.out(), containsString("dropped 2"));
    Path full = tmp.newFolder("full").toPath();
    Arrivals.succeeded(a.run(full, "--runner=DirectRunner", "--mode=full"));
    Arrivals.assertSameLake("--reprocess=changed vs a full run over the new bronze", full, out);
    assertFalse(
        "the CA partition held only the deleted file's rows",
        Files.exists(out.resolve("gold/trending/region=ca"))
            && !listing(out.resolve("gold/trending/region=ca")).isEmpty());
  }

  @Test
  public void ofTwoRunsStartedTogetherOnOneOutputExactlyOneProceeds() throws Exception {
    Arrivals a = arrivals();
    a.arrive(BATCHES.get(0));
    Path out = tmp.newFolder("lake").toPath();
    CyclicBarrier together = new CyclicBarrier(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<CliRun>> runs = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        runs.add(
            pool.submit(
                () -> {
                  together.await();
                  return a.run(out, "--runner=DirectRunner");
                }));
      }
      CliRun first = runs.get(0).get();
      CliRun second = runs.get(1).get();
      CliRun won = first.status() == 0 ? first : second;
      CliRun lost = first.status() == 0 ? second : first;
      assertEquals(won.all(), 0, won.status());
      assertEquals(lost.all(), 2, lost.status());
      assertThat(lost.err(), containsString("another run is writing " + out));
      assertThat(lost.err(), containsString(out.resolve("_lock.json").toString()));
    } finally {
      pool.shutdownNow();
    }
    assertFalse("the lock is released", Files.exists(out.resolve("_lock.json")));
  }

  @Test
  public void aLockLeftByAProcessThatEndedIsNamedAndBrokenOnlyWithBreakLock() throws Exception {
    Arrivals a = arrivals();
    a.arrive(BATCHES.get(0));
    Path out = tmp.newFolder("lake").toPath();
    Process ended = new ProcessBuilder("true").start();
    ended.waitFor();
    String lock =
        "{\"run_id\":\"20261201T000000Z-dead01\",\"host\":\""
            + java.net.InetAddress.getLocalHost().getHostName()
            + "\",\"pid\":"
            + ended.pid()
            + ",\"started\":\"2026-12-01T00:00:00Z\",\"heartbeat\":\""
            + java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
            + "\"}";
    Files.writeString(out.resolve("_lock.json"), lock);

    CliRun refused = a.run(out, "--runner=DirectRunner");
    assertEquals(refused.all(), 2, refused.status());
    assertThat(refused.err(), containsString("run 20261201T000000Z-dead01"));
    assertThat(refused.err(), containsString("is no longer running"));
    assertThat(refused.err(), containsString("--breakLock"));
    assertFalse(Files.exists(out.resolve("_manifests")));

    CliRun broke = Arrivals.succeeded(a.run(out, "--runner=DirectRunner", "--breakLock"));
    assertThat(broke.all(), containsString("removed the lock of run 20261201T000000Z-dead01"));
    assertFalse(Files.exists(out.resolve("_lock.json")));
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  /** Every file under a folder with its size and modification time. */
  static List<String> listing(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile)
          .map(
              p -> {
                try {
                  return root.relativize(p)
                      + " "
                      + Files.size(p)
                      + " "
                      + Files.getLastModifiedTime(p).toMillis();
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              })
          .sorted()
          .toList();
    }
  }
}
