package dev.trendlake.pipeline.commit;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import dev.trendlake.pipeline.io.OutputPaths;
import dev.trendlake.pipeline.io.ReadCommitted;
import dev.trendlake.transforms.BronzePaths;
import dev.trendlake.transforms.ReadStatistics;
import dev.trendlake.transforms.model.Rejected;
import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.tally.RunTally;
import dev.trendlake.transforms.youtube.TrendingColumns;
import dev.trendlake.transforms.youtube.YouTubeDataset;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A continuous commit given events of two versions of one file, as a restore from a checkpoint
 * gives them when the file was rewritten since: rows and rejects carry their version's change
 * token, so the versions never mix, the events of the version the lake holds are dropped, and
 * without {@code --reprocess=changed} no other version of a processed file waits. Real files, a
 * real lake on disk; the events are made by the reader the job uses.
 */
public class WaveCommitVersionsTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private static final String HEADER =
      "video_id,trending_date,title,channel_title,category_id,publish_time,tags,views,likes,"
          + "dislikes,comment_count,thumbnail_link,comments_disabled,ratings_disabled,"
          + "video_error_or_removed,description\n";
  private static final String A = "raw_statistics/region=us/ts=201711140000/a.csv";
  private static final String P14 = "region=us/trending_date=2017-11-14";
  private static final CategorySnapshot NO_CATEGORIES =
      new CategorySnapshot(1, List.of(), List.of(), RunTally.builder().build(), new TreeMap<>());

  private Path bronze;
  private Path out;
  private long mtime = 1_600_000_000_000L;

  @Before
  public void folders() throws IOException {
    bronze = tmp.newFolder("bronze").toPath();
    out = tmp.newFolder("lake").toPath();
  }

  private static String row(String id, long views) {
    return id
        + ",17.14.11,A title,A channel,24,2017-11-13T10:00:00.000Z,[none],"
        + views
        + ",10,1,5,https://i.ytimg.com/vi/x/default.jpg,False,False,False,text\n";
  }

  /** a.csv with two rows of these views and one line that breaks the CSV; a later mtime each. */
  private MatchResult.Metadata writeA(long xViews, long yViews) throws IOException {
    return writeA(
        HEADER + row("xxxxxxxxxxx", xViews) + "broken,line\n" + row("yyyyyyyyyyy", yViews));
  }

  private MatchResult.Metadata writeA(String text) throws IOException {
    Path f = bronze.resolve(A);
    Files.createDirectories(f.getParent());
    Files.writeString(f, text, StandardCharsets.UTF_8);
    mtime += 60_000;
    Files.setLastModifiedTime(f, FileTime.fromMillis(mtime));
    return RetractionTest.meta(f);
  }

  /** What the job's read gives for one version of a file: its events, in three groups. */
  private record Read(List<CommitEvent> tally, List<CommitEvent> rows, List<CommitEvent> rejects) {
    List<CommitEvent> all() {
      List<CommitEvent> e = new ArrayList<>(tally);
      e.addAll(rows);
      e.addAll(rejects);
      return e;
    }
  }

  private Read read(MatchResult.Metadata file) throws IOException {
    String token = BronzePaths.changeToken(file);
    Read r = new Read(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    ReadStatistics.readFile(
        bronze.toString(),
        file,
        Map.of(),
        new ReadStatistics.FileSink() {
          @Override
          public void rows(String partition, List<Row> batch) {
            r.rows().add(CommitEvent.rows(partition, token, batch));
          }

          @Override
          public void reject(Rejected x) {
            r.rejects().add(CommitEvent.rejected(token, x));
          }

          @Override
          public void tally(RunTally t) {
            r.tally().add(CommitEvent.fileRead(t));
          }
        });
    return r;
  }

  private WaveCommit committer(boolean reprocess) {
    RunInfo job =
        RunInfo.of(
            "job", "2026-12-02T00:00:00Z", "test", bronze.toString(), out.toString(), Map.of());
    return new WaveCommit(
        new WaveCommit.Settings(out.toString(), "job", job, 1L << 30, null, null, reprocess));
  }

  private WaveCommit.Outcome attempt(WaveCommit c, List<CommitEvent> events) throws IOException {
    Retraction.Bronze listing =
        () -> {
          TreeMap<String, MatchResult.Metadata> byPath = new TreeMap<>();
          Path f = bronze.resolve(A);
          if (Files.exists(f)) {
            byPath.put(A, RetractionTest.meta(f));
          }
          return byPath;
        };
    return c.attempt(events, NO_CATEGORIES, listing);
  }

  private String committedToken() {
    return ManifestStore.state(out.toString(), false, YouTubeDataset.INSTANCE)
        .files()
        .get(A)
        .token();
  }

  /** Views by video id in the committed silver partition. */
  private TreeMap<String, Long> committedViews() throws IOException {
    TreeMap<String, Long> views = new TreeMap<>();
    for (Row r :
        ReadCommitted.committedRows(
            new OutputPaths(out.toString(), "check"), YouTubeDataset.INSTANCE, P14)) {
      views.put(r.get(TrendingColumns.VIDEO_ID), r.get(TrendingColumns.VIEWS));
    }
    return views;
  }

  @Test
  public void rowsOfTheVersionCommittedBeforeARestoreNeverMixWithTheNextVersions()
      throws IOException {
    try (WaveCommit c = committer(true)) {
      MatchResult.Metadata v1 = writeA(100, 200);
      Read one = read(v1);
      assertNotNull("the first version is committed", attempt(c, one.all()).committed());
      assertEquals(Map.of("xxxxxxxxxxx", 100L, "yyyyyyyyyyy", 200L), committedViews());

      // the file is rewritten (as many lines, other counts) while the job is down; on restore, the
      // checkpoint's tally comes first and is dropped as delivered again
      MatchResult.Metadata v2 = writeA(111, 222);
      WaveCommit.Outcome tallyAgain = attempt(c, one.tally());
      assertNull(tallyAgain.committed());
      assertTrue(tallyAgain.remaining().isEmpty());
      // then the rows the checkpoint held in CommitDelay: the version committed, dropped too
      WaveCommit.Outcome rowsAgain = attempt(c, one.rows());
      assertNull(rowsAgain.committed());
      assertEquals("nothing of the first version waits", List.of(), rowsAgain.remaining());
      assertEquals(2, rowsAgain.redelivered());

      // the new version, read since: its own rows only, whatever else is pending
      List<CommitEvent> events = new ArrayList<>(one.rows());
      events.addAll(read(v2).all());
      WaveCommit.Outcome second = attempt(c, events);
      assertNotNull("the new version is committed", second.committed());
      assertEquals(Map.of("xxxxxxxxxxx", 111L, "yyyyyyyyyyy", 222L), committedViews());
      assertEquals(BronzePaths.changeToken(v2), committedToken());
      assertTrue(second.remaining().isEmpty());
    }
  }

  /**
   * The same order with a shorter new version: the old version's rows outnumber the new tally's
   * records, which failed the commit (at every restart, once in a checkpoint) when rows of both
   * versions were counted together.
   */
  @Test
  public void aShorterNewVersionAfterARestoreIsCommittedNotRefused() throws IOException {
    try (WaveCommit c = committer(true)) {
      Read one = read(writeA(100, 200));
      assertNotNull(attempt(c, one.all()).committed());
      MatchResult.Metadata v2 = writeA(HEADER + row("xxxxxxxxxxx", 111));
      assertNull(attempt(c, one.tally()).committed());
      List<CommitEvent> events = new ArrayList<>(one.rows());
      events.addAll(one.rejects());
      events.addAll(read(v2).all());
      WaveCommit.Outcome o = attempt(c, events);
      assertNotNull("the new version is committed", o.committed());
      assertEquals(Map.of("xxxxxxxxxxx", 111L), committedViews());
      assertEquals(BronzePaths.changeToken(v2), committedToken());
      assertTrue(o.remaining().isEmpty());
    }
  }

  @Test
  public void withoutReprocessNoOtherVersionOfAProcessedFileWaits() throws IOException {
    try (WaveCommit c = committer(false)) {
      assertNotNull(attempt(c, read(writeA(100, 200)).all()).committed());
      String first = committedToken();
      Read two = read(writeA(111, 222));
      WaveCommit.Outcome o = attempt(c, two.rows());
      assertNull(o.committed());
      assertEquals("the lake keeps the version it read", List.of(), o.remaining());
      assertNull(attempt(c, two.all()).committed());
      assertEquals(first, committedToken());
      assertEquals(Map.of("xxxxxxxxxxx", 100L, "yyyyyyyyyyy", 200L), committedViews());
    }
  }
}
