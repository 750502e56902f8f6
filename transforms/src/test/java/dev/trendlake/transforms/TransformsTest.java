package dev.trendlake.transforms;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import dev.trendlake.transforms.coders.RawStatisticCoder;
import dev.trendlake.transforms.coders.TrendingPartitionCoder;
import dev.trendlake.transforms.coders.TrendingRowCoder;
import dev.trendlake.transforms.model.Category;
import dev.trendlake.transforms.model.Column;
import dev.trendlake.transforms.model.FileTally;
import dev.trendlake.transforms.model.RawStatistic;
import dev.trendlake.transforms.model.Rejected;
import dev.trendlake.transforms.model.RunTally;
import dev.trendlake.transforms.model.TrendingPartition;
import dev.trendlake.transforms.model.TrendingRow;
import dev.trendlake.transforms.coders.CategoryCoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.StreamSupport;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Each transform on a real (DirectRunner) pipeline, with the bad input it must route to quarantine. */
public class TransformsTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();
  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();

  private static final String KAGGLE =
      "video_id,trending_date,title,channel_title,category_id,publish_time,tags,views,likes,dislikes,comment_count,"
          + "thumbnail_link,comments_disabled,ratings_disabled,video_error_or_removed,description\r\n";

  private static String row(String id, String date, String views, String category) {
    return id + "," + date + ",t,c," + category + ",2017-11-13T17:13:01.000Z,a|b," + views
        + ",1,0,2,,False,False,False,\"multi\r\nline\"\r\n";
  }

  private Path write(String rel, String content) throws IOException {
    Path f = tmp.getRoot().toPath().resolve(rel);
    Files.createDirectories(f.getParent());
    Files.write(f, content.getBytes(StandardCharsets.UTF_8));
    return f;
  }

  private PCollection<FileIO.ReadableFile> files(String glob) {
    return p.apply(FileIO.match().filepattern(tmp.getRoot() + "/" + glob)).apply(FileIO.readMatches());
  }

  /** Merges every tally of a PCollection and checks it with {@code check}. */
  private static void assertTally(PCollection<RunTally> t, SerializableFunction<RunTally, Void> check) {
    PCollection<RunTally> merged =
        t.apply(
            Combine.globally(
                (Iterable<RunTally> all) -> {
                  RunTally out = new RunTally();
                  all.forEach(out::merge);
                  return out;
                }));
    PAssert.thatSingleton(merged).satisfies(check);
  }

  @Test
  public void parseStatisticsRoutesShapeProblemsToQuarantine() throws IOException {
    write(
        "raw_statistics/region=US/a.csv",
        KAGGLE + row("2kyS6SvSYSE", "17.14.11", "10", "22") + "too,few,fields\r\n" + row("1ZAPwfrtAFY", "17.14.11", "5", "24")
            + "cutOff12345,17.14.11,\"never closed");
    write("raw_statistics/region=fr/b.csv", "id,name\n1,x\n");
    write("raw_statistics/nowhere/c.csv", KAGGLE + row("2kyS6SvSYSE", "17.14.11", "10", "22"));
    PCollectionTuple out = files("raw_statistics/**.csv").apply(new ParseStatistics(tmp.getRoot().toString()));

    PAssert.that(out.get(ParseStatistics.RECORDS))
        .satisfies(
            recs -> {
              List<RawStatistic> l = new ArrayList<>();
              recs.forEach(l::add);
              l.sort((x, y) -> Long.compare(x.line(), y.line()));
              assertEquals(2, l.size());
              assertEquals("us", l.get(0).region());
              assertEquals("raw_statistics/region=US/a.csv", l.get(0).sourceFile());
              assertEquals(2, l.get(0).line());
              assertEquals("multi\r\nline", l.get(0).get(Column.DESCRIPTION));
              // the first record spans lines 2-3, the bad one is on 4, the next starts on 5
              assertEquals(5, l.get(1).line());
              return null;
            });
    PAssert.that(out.get(ParseStatistics.REJECTED))
        .satisfies(
            rej -> {
              Map<String, String> byWhere = new TreeMap<>();
              rej.forEach(r -> byWhere.put(r.sourceFile() + ":" + r.line(), r.reason().code() + " " + r.region()));
              assertEquals(
                  Map.of(
                      "raw_statistics/region=US/a.csv:4", "malformed_csv us",
                      "raw_statistics/region=US/a.csv:7", "malformed_csv us",
                      "raw_statistics/region=fr/b.csv:2", "unknown_layout fr",
                      "raw_statistics/nowhere/c.csv:2", "missing_region unknown"),
                  byWhere);
              return null;
            });
    assertTally(
        out.get(ParseStatistics.TALLIES),
        t -> {
          FileTally a = t.files.get("raw_statistics/region=US/a.csv");
          assertEquals(4, a.records);
          assertEquals(Long.valueOf(2), a.quarantined.get("malformed_csv"));
          assertEquals("kaggle_2017", a.layout);
          assertEquals("unknown", t.files.get("raw_statistics/region=fr/b.csv").layout);
          return null;
        });
    p.run();
  }

  static RawStatistic raw(String id, String date, String views) {
    String[] v = new String[Column.count()];
    v[Column.VIDEO_ID.ordinal()] = id;
    v[Column.TRENDING_DATE.ordinal()] = date;
    v[Column.CATEGORY_ID.ordinal()] = "22";
    v[Column.PUBLISH_TIME.ordinal()] = "2017-11-13T17:13:01.000Z";
    v[Column.TAGS.ordinal()] = "[none]";
    v[Column.VIEWS.ordinal()] = views;
    v[Column.LIKES.ordinal()] = "1";
    v[Column.DISLIKES.ordinal()] = "1";
    v[Column.COMMENT_COUNT.ordinal()] = "1";
    v[Column.COMMENTS_DISABLED.ordinal()] = "false";
    v[Column.RATINGS_DISABLED.ordinal()] = "true";
    return new RawStatistic("f.csv", "us", 2, v, (id + date + views).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  public void cleanStatisticsSplitsRowsFromRejects() {
    PCollectionTuple out =
        p.apply(
                Create.of(raw("2kyS6SvSYSE", "17.14.11", "10"), raw("#NAME?", "17.14.11", "10"), raw("2kyS6SvSYSE", "17.14.11", "-1"))
                    .withCoder(RawStatisticCoder.of()))
            .apply(new CleanStatistics());
    PAssert.that(out.get(CleanStatistics.ROWS))
        .satisfies(
            rows -> {
              TrendingRow r = rows.iterator().next();
              assertEquals(1, StreamSupport.stream(rows.spliterator(), false).count());
              assertEquals(10L, r.views());
              assertEquals(List.of(), r.tags());
              assertEquals(true, r.ratingsDisabled());
              return null;
            });
    PAssert.that(out.get(CleanStatistics.REJECTED))
        .satisfies(
            rej -> {
              List<String> reasons = new ArrayList<>();
              rej.forEach(r -> reasons.add(r.reason().code()));
              reasons.sort(null);
              assertEquals(List.of("invalid_count", "invalid_video_id"), reasons);
              return null;
            });
    assertTally(
        out.get(CleanStatistics.TALLIES),
        t -> {
          assertEquals(Long.valueOf(1), t.files.get("f.csv").quarantined.get("invalid_count"));
          assertEquals(Long.valueOf(1), t.files.get("f.csv").quarantined.get("invalid_video_id"));
          return null;
        });
    p.run();
  }

  static TrendingRow trending(String id, int date, long views, String file, String raw) {
    return new TrendingRow("us", date, id, "t", "c", null, 22, 0, List.of("a"), views, 1L, 1L, 1L, null, false, false,
        null, "d", file, 1, raw.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  public void dedupeKeepsTheBestRowPerVideoAndDayAndCountsTheRest() {
    PCollectionTuple out =
        p.apply(
                Create.of(
                        trending("bbbbbbbbbbb", 100, 5, "f1", "x"),
                        trending("aaaaaaaaaaa", 100, 7, "f1", "x"),
                        trending("aaaaaaaaaaa", 100, 9, "f2", "y"),
                        trending("aaaaaaaaaaa", 100, 9, "f2", "y"),
                        trending("aaaaaaaaaaa", 101, 1, "f1", "z"))
                    .withCoder(TrendingRowCoder.of()))
            .apply(new DedupeTrending());
    PAssert.that(out.get(DedupeTrending.PARTITIONS))
        .satisfies(
            parts -> {
              Map<Integer, TrendingPartition> byDate = new TreeMap<>();
              parts.forEach(x -> byDate.put(x.trendingDate(), x));
              assertEquals(2, byDate.size());
              TrendingPartition d100 = byDate.get(100);
              assertEquals(2, d100.rows().size());
              assertEquals("aaaaaaaaaaa", d100.rows().get(0).videoId()); // sorted by video_id
              assertEquals(9, d100.rows().get(0).views());
              assertEquals("f2", d100.rows().get(0).sourceFile());
              assertNull(d100.categoryTitles());
              return null;
            });
    assertTally(
        out.get(DedupeTrending.TALLIES),
        t -> {
          assertEquals(2, t.files.get("f1").silver); // bbb on day 100, aaa on day 101
          assertEquals(1, t.files.get("f1").duplicates);
          assertEquals(1, t.files.get("f2").silver);
          assertEquals(1, t.files.get("f2").duplicates);
          return null;
        });
    p.run();
  }

  @Test
  public void readCategoriesKeepsOnePerRegionAndIdAndQuarantinesBadFiles() throws IOException {
    String cats = "{\"items\": [{\"id\": \"10\", \"snippet\": {\"title\": \"Music\"}}, {\"id\": \"x\", \"snippet\": {\"title\": \"?\"}}]}";
    write("raw_statistics_reference_data/US_category_id.json", cats);
    write("raw_statistics_reference_data/2018/US_category_id.json", "{\"items\": [{\"id\": \"10\", \"snippet\": {\"title\": \"Music!\"}}]}");
    write("raw_statistics_reference_data/region=gb/US_category_id.json", cats);
    write("raw_statistics_reference_data/IN_category_id.json", "{\"items\": [");
    PCollectionTuple out =
        files("raw_statistics_reference_data/**.json").apply(new ReadCategories(tmp.getRoot().toString()));
    PAssert.that(out.get(ReadCategories.CATEGORIES))
        .containsInAnyOrder(
            new Category("us", 10, "Music!", null, null, "raw_statistics_reference_data/2018/US_category_id.json"),
            new Category("gb", 10, "Music", null, null, "raw_statistics_reference_data/region=gb/US_category_id.json"));
    PAssert.that(out.get(ReadCategories.REJECTED))
        .satisfies(
            rej -> {
              Map<String, String> m = new TreeMap<>();
              rej.forEach(r -> m.put(r.sourceFile(), m.getOrDefault(r.sourceFile(), "") + r.reason().code()));
              assertEquals(
                  Map.of(
                      "raw_statistics_reference_data/IN_category_id.json", "malformed_json",
                      "raw_statistics_reference_data/US_category_id.json", "invalid_category",
                      "raw_statistics_reference_data/region=gb/US_category_id.json", "invalid_category"),
                  m);
              return null;
            });
    assertTally(
        out.get(ReadCategories.TALLIES),
        t -> {
          FileTally us = t.files.get("raw_statistics_reference_data/US_category_id.json");
          assertEquals(2, us.records);
          assertEquals(1, us.duplicates);
          assertEquals(0, us.silver);
          for (FileTally f : t.files.values()) {
            assertEquals(f.path, true, f.reconciles());
          }
          return null;
        });
    p.run();
  }

  @Test
  public void joinUsesRegionAndCategoryIdAndKeepsUnknownCategories() {
    PCollection<Category> cats =
        p.apply(
            "Cats",
            Create.of(
                    new Category("us", 22, "People & Blogs", true, null, "u.json"),
                    new Category("ca", 29, "Nonprofits", true, null, "c.json"))
                .withCoder(CategoryCoder.of()));
    PCollectionView<Map<String, String>> view = ReadCategories.titlesView(cats);
    TrendingRow us22 = trending("aaaaaaaaaaa", 1, 1, "f", "x");
    TrendingRow us29 =
        new TrendingRow("us", 1, "bbbbbbbbbbb", "t", "c", null, 29, 0, List.of(), 1, 1L, 1L, 1L, null, false, false,
            null, "d", "f", 2, new byte[0]);
    PCollectionTuple out =
        p.apply(
                "Parts",
                Create.of(new TrendingPartition("us", 1, List.of(us22, us29), null)).withCoder(TrendingPartitionCoder.of()))
            .apply(new JoinCategories(view));
    PAssert.that(out.get(JoinCategories.JOINED))
        .satisfies(
            parts -> {
              TrendingPartition x = parts.iterator().next();
              // 29 exists for CA only: a join on the id alone would have found it
              assertEquals(java.util.Arrays.asList("People & Blogs", null), x.categoryTitles());
              assertEquals(2, x.rows().size());
              return null;
            });
    assertTally(
        out.get(JoinCategories.TALLIES),
        t -> {
          assertEquals(1, t.regions.get("us").unknownCategory);
          return null;
        });
    p.run();
  }
}
