package dev.trendlake.pipeline.commit;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.trendlake.transforms.BronzePaths;
import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.tally.FileTally;
import dev.trendlake.transforms.tally.PartitionTally;
import dev.trendlake.transforms.youtube.TrendingColumns;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The retraction a continuous commit plans: the partitions that held a dropped file's rows, their
 * other files read again for those partitions only, and a wait when one of those files is no longer
 * the version the state recorded.
 */
public class RetractionTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private static final String HEADER =
      "video_id,trending_date,title,channel_title,category_id,publish_time,tags,views,likes,"
          + "dislikes,comment_count,thumbnail_link,comments_disabled,ratings_disabled,"
          + "video_error_or_removed,description\n";

  private static String row(String id, String day) {
    return id
        + ","
        + day
        + ",A title,A channel,24,2017-11-13T10:00:00.000Z,[none],1000,10,1,5,"
        + "https://i.ytimg.com/vi/x/default.jpg,False,False,False,text\n";
  }

  private static final String A = "raw_statistics/region=us/ts=201711140000/a.csv";
  private static final String B = "raw_statistics/region=us/ts=201711140000/b.csv";
  private static final String C = "raw_statistics/region=us/ts=201711160000/c.csv";
  private static final String P14 = "region=us/trending_date=2017-11-14";
  private static final String P15 = "region=us/trending_date=2017-11-15";
  private static final String P16 = "region=us/trending_date=2017-11-16";

  private Path bronze;

  private MatchResult.Metadata write(String path, String text) throws IOException {
    Path f = bronze.resolve(path);
    Files.createDirectories(f.getParent());
    Files.writeString(f, text, StandardCharsets.UTF_8);
    return meta(f);
  }

  /** A local file's metadata as Beam's match gives it. */
  static MatchResult.Metadata meta(Path f) throws IOException {
    return MatchResult.Metadata.builder()
        .setResourceId(FileSystems.matchNewResource(f.toString(), false))
        .setSizeBytes(Files.size(f))
        .setLastModifiedMillis(Files.getLastModifiedTime(f).toMillis())
        .setIsReadSeekEfficient(true)
        .build();
  }

  private static FileTally tally(String path, MatchResult.Metadata m, long records) {
    return new FileTally.Builder(path, "statistics")
        .region("us")
        .read(m.sizeBytes(), BronzePaths.changeToken(m))
        .records(records)
        .build();
  }

  private static PartitionTally part(long rows, String... files) {
    TreeMap<String, PartitionTally.FileRows> shares = new TreeMap<>();
    for (String f : files) {
      shares.put(f, new PartitionTally.FileRows(1, 0));
    }
    return new PartitionTally("us", rows, 0, shares);
  }

  /**
   * a.csv and b.csv share the 14th; b.csv also has the 15th; c.csv alone has the 16th. Returns the
   * state and bronze's listing.
   */
  private Map.Entry<LakeState, Map<String, MatchResult.Metadata>> lake() throws IOException {
    bronze = tmp.newFolder("bronze").toPath();
    MatchResult.Metadata a = write(A, HEADER + row("aaaaaaaaaaa", "17.14.11"));
    MatchResult.Metadata b =
        write(B, HEADER + row("bbbbbbbbbbb", "17.14.11") + row("bbbbbbbbbbb", "17.15.11"));
    MatchResult.Metadata c = write(C, HEADER + row("ccccccccccc", "17.16.11"));
    LakeState state =
        new LakeState(
            new TreeMap<>(Map.of(A, tally(A, a, 1), B, tally(B, b, 2), C, tally(C, c, 1))),
            new TreeMap<>(Map.of(P14, part(2, A, B), P15, part(1, B), P16, part(1, C))),
            new TreeMap<>());
    return Map.entry(state, new TreeMap<>(Map.of(A, a, B, b, C, c)));
  }

  @Test
  public void theOtherFilesOfTheRebuiltPartitionsAreReadAgainForThosePartitionsOnly()
      throws IOException {
    var lake = lake();
    Retraction r =
        Retraction.of(lake.getKey(), new TreeSet<>(Set.of(A)), bronze.toString(), lake::getValue);
    assertTrue("nothing to wait for: " + r.waitsFor(), r.waitsFor().isEmpty());
    assertEquals(Set.of(A), r.dropped());
    assertEquals(Set.of(P14), r.rebuild());
    assertEquals(Set.of(B), r.rebuildFiles());
    assertEquals("b.csv's row of the 14th, not of the 15th", Set.of(P14), r.rows().keySet());
    List<Row> rows = r.rows().get(P14);
    assertEquals(1, rows.size());
    assertEquals("bbbbbbbbbbb", rows.get(0).get(TrendingColumns.VIDEO_ID));
    assertEquals(B, rows.get(0).get(TrendingColumns.SOURCE_FILE));
  }

  @Test
  public void aRetractionWaitsWhileAFileItWouldReadAgainIsAnotherVersionOrGone()
      throws IOException {
    var lake = lake();
    // b.csv rewritten since the state recorded it
    write(B, HEADER + row("bbbbbbbbbbb", "17.14.11"));
    Files.setLastModifiedTime(
        bronze.resolve(B),
        java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 60_000));
    Map<String, MatchResult.Metadata> now = new TreeMap<>(lake.getValue());
    now.put(B, meta(bronze.resolve(B)));
    Retraction changed =
        Retraction.of(lake.getKey(), new TreeSet<>(Set.of(A)), bronze.toString(), () -> now);
    assertEquals(Set.of(B), changed.waitsFor());
    assertTrue("nothing read", changed.rows().isEmpty());

    now.remove(B);
    Retraction gone =
        Retraction.of(lake.getKey(), new TreeSet<>(Set.of(A)), bronze.toString(), () -> now);
    assertEquals(Set.of(B), gone.waitsFor());

    // dropped together, nothing is read again from b.csv
    Retraction both =
        Retraction.of(lake.getKey(), new TreeSet<>(Set.of(A, B)), bronze.toString(), () -> now);
    assertTrue(both.waitsFor().isEmpty());
    assertEquals(Set.of(P14, P15), both.rebuild());
    assertTrue(both.rebuildFiles().isEmpty());
  }
}
