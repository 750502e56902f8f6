package dev.trendlake.transforms;

import static dev.trendlake.transforms.youtube.TrendingColumns.*;
import static org.junit.Assert.assertEquals;

import dev.trendlake.transforms.coders.RowCoder;
import dev.trendlake.transforms.row.Partition;
import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.tally.FileTally;
import dev.trendlake.transforms.tally.RegionTally;
import dev.trendlake.transforms.tally.RunTally;
import dev.trendlake.transforms.youtube.CategoryColumns;
import dev.trendlake.transforms.youtube.TrendingColumns;
import dev.trendlake.transforms.youtube.YouTubeDataset;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Each transform on a real (DirectRunner) pipeline, with the bad input it must route to quarantine.
 */
public class TransformsTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();
  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();

  private static final String KAGGLE =
      "video_id,trending_date,title,channel_title,category_id,publish_time,ta"
          + "gs,views,likes,dislikes,comment_count,thumbnail_link,comments_disabled"
          + ",ratings_disabled,video_error_or_removed,description\r\n";

  private static String row(String id, String date, String views, String category) {
    return id
        + ","
        + date
        + ",t,c,"
        + category
        + ",2017-11-13T17:13:01.000Z,a|b,"
        + views
        + ",1,0,2,,False,False,False,\"multi\r\nline\"\r\n";
  }

  private Path write(String rel, String content) throws IOException {
    Path f = tmp.getRoot().toPath().resolve(rel);
    Files.createDirectories(f.getParent());
    Files.write(f, content.getBytes(StandardCharsets.UTF_8));
    return f;
  }

  private PCollection<MatchResult.Metadata> files(String glob) {
    return p.apply(FileIO.match().filepattern(tmp.getRoot() + "/" + glob));
  }

  /** Merges every tally of a PCollection and checks it with {@code check}. */
  private static void assertTally(
      PCollection<RunTally> t, SerializableFunction<RunTally, Void> check) {
    PCollection<RunTally> merged =
        t.apply(
            Combine.globally(
                (Iterable<RunTally> all) -> {
                  RunTally.Builder out = RunTally.builder();
                  all.forEach(out::add);
                  return out.build();
                }));
    PAssert.thatSingleton(merged).satisfies(check);
  }

  @Test
  public void readStatisticsRoutesShapeProblemsAndBrokenRulesToQuarantine() throws IOException {
    write(
        "raw_statistics/region=US/a.csv",
        KAGGLE
            + row("2kyS6SvSYSE", "17.14.11", "10", "22")
            + "too,few,fields\r\n"
            + row("1ZAPwfrtAFY", "17.14.11", "5", "24")
            + row("#NAME?", "17.14.11", "5", "24")
            + row("1ZAPwfrtAFY", "17.15.11", "-5", "24")
            + "cutOff12345,17.14.11,\"never closed");
    write("raw_statistics/region=fr/b.csv", "id,name\n1,x\n");
    write("raw_statistics/nowhere/c.csv", KAGGLE + row("2kyS6SvSYSE", "17.14.11", "10", "22"));
    PCollectionTuple out =
        files("raw_statistics/**.csv").apply(new ReadStatistics(tmp.getRoot().toString()));

    PAssert.that(out.get(ReadStatistics.ROWS))
        .satisfies(
            recs -> {
              // one batch per partition here; flattened to one (partition, row) pair per row
              List<KV<String, Row>> l = new ArrayList<>();
              recs.forEach(b -> b.getValue().forEach(r -> l.add(KV.of(b.getKey(), r))));
              l.sort(
                  (x, y) ->
                      Long.compare(x.getValue().get(SOURCE_LINE), y.getValue().get(SOURCE_LINE)));
              assertEquals(2, l.size());
              Row first = l.get(0).getValue();
              assertEquals("region=us/trending_date=2017-11-14", l.get(0).getKey());
              assertEquals("us", first.get(REGION));
              assertEquals("raw_statistics/region=US/a.csv", first.get(SOURCE_FILE));
              assertEquals(2L, (long) first.get(SOURCE_LINE));
              assertEquals(List.of("a", "b"), first.get(TAGS));
              assertEquals("multi\nline", first.get(DESCRIPTION));
              // the first record spans lines 2-3, the bad one is on 4, the next starts on 5
              assertEquals(5L, (long) l.get(1).getValue().get(SOURCE_LINE));
              return null;
            });
    PAssert.that(out.get(ReadStatistics.REJECTED))
        .satisfies(
            rej -> {
              Map<String, String> byWhere = new TreeMap<>();
              rej.forEach(
                  r ->
                      byWhere.put(
                          r.sourceFile() + ":" + r.line(), r.reason().code() + " " + r.region()));
              assertEquals(
                  Map.of(
                      "raw_statistics/region=US/a.csv:4", "malformed_csv us",
                      "raw_statistics/region=US/a.csv:7", "invalid_video_id us",
                      "raw_statistics/region=US/a.csv:9", "invalid_count us",
                      "raw_statistics/region=US/a.csv:11", "malformed_csv us",
                      "raw_statistics/region=fr/b.csv:2", "unknown_layout fr",
                      "raw_statistics/nowhere/c.csv:2", "missing_region unknown"),
                  byWhere);
              return null;
            });
    assertTally(
        out.get(ReadStatistics.TALLIES),
        t -> {
          FileTally a = t.files().get("raw_statistics/region=US/a.csv");
          assertEquals(6, a.records());
          assertEquals(Long.valueOf(2), a.quarantined().get("malformed_csv"));
          assertEquals(Long.valueOf(1), a.quarantined().get("invalid_count"));
          assertEquals(Long.valueOf(1), a.quarantined().get("invalid_video_id"));
          assertEquals("kaggle_2017", a.layout());
          assertEquals("unknown", t.files().get("raw_statistics/region=fr/b.csv").layout());
          return null;
        });
    p.run();
  }

  static Row trending(String id, int date, long views, String file, String raw) {
    return TrendingColumns.SCHEMA
        .row()
        .set(REGION, "us")
        .set(TRENDING_DATE, date)
        .set(VIDEO_ID, id)
        .set(TITLE, "t")
        .set(CHANNEL_TITLE, "c")
        .set(CATEGORY_ID, 22L)
        .set(PUBLISH_TIME, 0L)
        .set(TAGS, List.of("a"))
        .set(VIEWS, views)
        .set(LIKES, 1L)
        .set(DISLIKES, 1L)
        .set(COMMENT_COUNT, 1L)
        .set(COMMENTS_DISABLED, false)
        .set(RATINGS_DISABLED, false)
        .set(DESCRIPTION, "d")
        .set(SOURCE_FILE, file)
        .set(SOURCE_LINE, 1L)
        .build(raw.getBytes(StandardCharsets.UTF_8).length);
  }

  static Row people(Row r, String title) {
    return r.with(CATEGORY_TITLE, title);
  }

  /** A sink that writes nothing and reports the partition it was given, so tests can see it. */
  static final class RecordingSink implements PartitionSink {
    @Override
    public RunTally write(Partition p) {
      return RunTally.builder()
          .replace(p.path(), p.rows().size() + " rows")
          .region(p.group(), new RegionTally(0, p.rows().size(), 0, 0))
          .build();
    }
  }

  /** The rows as ReadStatistics emits them: batches of one partition; here two rows per batch. */
  private PCollection<KV<String, List<Row>>> keyed(Row... rows) {
    Map<String, List<Row>> open = new TreeMap<>();
    List<KV<String, List<Row>>> l = new ArrayList<>();
    for (Row r : rows) {
      String partition = SCHEMA.partitionPath(r);
      List<Row> b = open.computeIfAbsent(partition, k -> new ArrayList<>());
      b.add(r);
      if (b.size() == 2) {
        l.add(KV.of(partition, open.remove(partition)));
      }
    }
    open.forEach((k, b) -> l.add(KV.of(k, b)));
    return p.apply(
        "Rows",
        Create.of(l)
            .withCoder(KvCoder.of(StringUtf8Coder.of(), ListCoder.of(RowCoder.of(SCHEMA)))));
  }

  private PCollectionView<Map<String, String>> categories(Row... cats) {
    return ReadCategories.titlesView(
        p.apply("Cats", Create.of(List.of(cats)).withCoder(RowCoder.of(CategoryColumns.SCHEMA))));
  }

  @Test
  public void buildPartitionsKeepsTheBestRowPerVideoAndDayAndCountsTheRest() {
    PCollectionTuple out =
        keyed(
                people(trending("bbbbbbbbbbb", 100, 5, "f1", "x"), "People"),
                people(trending("aaaaaaaaaaa", 100, 7, "f1", "x"), "People"),
                people(trending("aaaaaaaaaaa", 100, 9, "f2", "y"), "People"),
                people(trending("aaaaaaaaaaa", 100, 9, "f2", "y"), "People"),
                people(trending("aaaaaaaaaaa", 101, 1, "f1", "z"), "People"))
            .apply(
                BuildPartitions.of(YouTubeDataset.INSTANCE, new RecordingSink()).withGoldOutput());
    PAssert.that(out.get(BuildPartitions.GOLD))
        .satisfies(
            parts -> {
              Map<Integer, Partition> byDate = new TreeMap<>();
              parts.forEach(x -> byDate.put(x.rows().get(0).get(TRENDING_DATE), x));
              assertEquals(2, byDate.size());
              Partition d100 = byDate.get(100);
              assertEquals(2, d100.rows().size());
              assertEquals("aaaaaaaaaaa", d100.rows().get(0).get(VIDEO_ID)); // sorted by video_id
              assertEquals(9L, (long) d100.rows().get(0).get(VIEWS));
              assertEquals("f2", d100.rows().get(0).get(SOURCE_FILE));
              assertEquals(
                  List.of("People", "People"),
                  d100.rows().stream().map(r -> r.get(CATEGORY_TITLE)).toList());
              return null;
            });
    assertTally(
        out.get(BuildPartitions.TALLIES),
        t -> {
          assertEquals(2, t.files().get("f1").silver()); // bbb on day 100, aaa on day 101
          assertEquals(1, t.files().get("f1").duplicates());
          assertEquals(1, t.files().get("f2").silver());
          assertEquals(1, t.files().get("f2").duplicates());
          // what the sink reported is merged in
          assertEquals("2 rows", t.plan().replaced().get("region=us/trending_date=1970-04-11"));
          assertEquals(3, t.region("us").gold());
          return null;
        });
    p.run();
  }

  @Test
  public void readCategoriesKeepsOnePerRegionAndIdAndQuarantinesBadFiles() throws IOException {
    String cats =
        "{\"items\": [{\"id\": \"10\", \"snippet\": {\"title\": \"Music\"}}, {\"id\": \"x\","
            + " \"snippet\": {\"title\": \"?\"}}]}";
    write("raw_statistics_reference_data/US_category_id.json", cats);
    write(
        "raw_statistics_reference_data/2018/US_category_id.json",
        "{\"items\": [{\"id\": \"10\", \"snippet\": {\"title\": \"Music!\"}}]}");
    write("raw_statistics_reference_data/region=gb/US_category_id.json", cats);
    write("raw_statistics_reference_data/IN_category_id.json", "{\"items\": [");
    PCollectionTuple out =
        files("raw_statistics_reference_data/**.json")
            .apply(new ReadCategories(tmp.getRoot().toString()));
    PAssert.that(out.get(ReadCategories.CATEGORIES))
        .containsInAnyOrder(
            CategoryColumns.of(
                "us",
                10,
                "Music!",
                null,
                null,
                "raw_statistics_reference_data/2018/US_category_id.json"),
            CategoryColumns.of(
                "gb",
                10,
                "Music",
                null,
                null,
                "raw_statistics_reference_data/region=gb/US_category_id.json"));
    PAssert.that(out.get(ReadCategories.REJECTED))
        .satisfies(
            rej -> {
              Map<String, String> m = new TreeMap<>();
              rej.forEach(
                  r ->
                      m.put(
                          r.sourceFile(), m.getOrDefault(r.sourceFile(), "") + r.reason().code()));
              assertEquals(
                  Map.of(
                      "raw_statistics_reference_data/IN_category_id.json", "malformed_json",
                      "raw_statistics_reference_data/US_category_id.json", "invalid_category",
                      "raw_statistics_reference_data/region=gb/US_category_id.json",
                          "invalid_category"),
                  m);
              return null;
            });
    assertTally(
        out.get(ReadCategories.TALLIES),
        t -> {
          FileTally us = t.files().get("raw_statistics_reference_data/US_category_id.json");
          assertEquals(2, us.records());
          assertEquals(1, us.duplicates());
          assertEquals(0, us.silver());
          for (FileTally f : t.files().values()) {
            assertEquals(f.path(), true, f.reconciles());
          }
          return null;
        });
    p.run();
  }

  @Test
  public void rowsLeaveTheReaderInBatchesOfOnePartitionAndNoneIsLost() throws IOException {
    StringBuilder csv = new StringBuilder(KAGGLE);
    int n = 2 * ReadStatistics.BATCH_ROWS + 5; // on one day: two full batches and the file's rest
    for (int i = 0; i < n; i++) {
      csv.append(row(String.format("v%010d", i), "17.14.11", "10", "22"));
    }
    csv.append(row("w0000000000", "17.15.11", "10", "22")); // another day: its own batch
    write("raw_statistics/region=us/a.csv", csv.toString());
    PCollectionTuple out =
        files("raw_statistics/**.csv").apply(new ReadStatistics(tmp.getRoot().toString()));
    PAssert.that(out.get(ReadStatistics.ROWS))
        .satisfies(
            batches -> {
              List<Integer> sizes = new ArrayList<>();
              java.util.Set<String> ids = new java.util.TreeSet<>();
              for (KV<String, List<Row>> b : batches) {
                sizes.add(b.getValue().size());
                for (Row r : b.getValue()) {
                  assertEquals(b.getKey(), SCHEMA.partitionPath(r));
                  ids.add(r.get(VIDEO_ID));
                }
              }
              sizes.sort(null);
              assertEquals(
                  List.of(1, 5, ReadStatistics.BATCH_ROWS, ReadStatistics.BATCH_ROWS), sizes);
              assertEquals(n + 1, ids.size());
              return null;
            });
    p.run();
  }

  @Test
  public void joinUsesRegionAndCategoryIdAndKeepsUnknownCategories() throws IOException {
    write(
        "raw_statistics/region=us/a.csv",
        KAGGLE
            + row("aaaaaaaaaaa", "17.14.11", "10", "22")
            + row("bbbbbbbbbbb", "17.14.11", "5", "29"));
    PCollectionView<Map<String, String>> cats =
        categories(
            CategoryColumns.of("us", 22, "People & Blogs", true, null, "u.json"),
            CategoryColumns.of("ca", 29, "Nonprofits", true, null, "c.json"));
    PCollectionTuple read =
        files("raw_statistics/**.csv")
            .apply(new ReadStatistics(tmp.getRoot().toString()).withCategories(cats));
    PCollectionTuple out =
        read.get(ReadStatistics.ROWS)
            .apply(
                BuildPartitions.of(YouTubeDataset.INSTANCE, new RecordingSink()).withGoldOutput());
    PAssert.that(out.get(BuildPartitions.GOLD))
        .satisfies(
            parts -> {
              Partition x = parts.iterator().next();
              // 29 exists for CA only: a join on the id alone would have found it
              assertEquals(
                  java.util.Arrays.asList("People & Blogs", null),
                  x.rows().stream().map(r -> r.get(CATEGORY_TITLE)).toList());
              assertEquals("People & Blogs", x.rows().get(0).get(CATEGORY_TITLE));
              assertEquals(2, x.rows().size());
              return null;
            });
    assertTally(
        out.get(BuildPartitions.TALLIES),
        t -> {
          assertEquals(1, t.region("us").unknownCategory());
          return null;
        });
    p.run();
  }

  @Test
  public void withoutGoldOutputNothingIsEmittedButTheTallies() {
    PCollectionTuple out =
        keyed(people(trending("aaaaaaaaaaa", 1, 1, "f", "x"), "P"))
            .apply(BuildPartitions.of(YouTubeDataset.INSTANCE, new RecordingSink()));
    PAssert.that(out.get(BuildPartitions.GOLD)).empty();
    PAssert.that(out.get(BuildPartitions.TALLIES))
        .satisfies(
            t -> {
              assertEquals(1, t.iterator().next().region("us").gold());
              return null;
            });
    p.run();
  }

  /**
   * One dedupe tally per region, not per category: each element leaving the dedupe in its own
   * bundle made the DirectRunner's later groupings (side input, writer, tally merge) quadratic.
   */
  @Test
  public void categoryDedupeEmitsOneTallyPerRegionWhateverTheItems() throws IOException {
    StringBuilder items = new StringBuilder("{\"items\": [");
    for (int i = 1; i <= 500; i++) {
      items
          .append(i > 1 ? "," : "")
          .append("{\"id\": \"" + i + "\", \"snippet\": {\"title\": \"c\"}}");
    }
    String doc = items.append("]}").toString();
    write("raw_statistics_reference_data/US_category_id.json", doc);
    write("raw_statistics_reference_data/2018/US_category_id.json", doc);
    write("raw_statistics_reference_data/GB_category_id.json", doc);
    PCollectionTuple out =
        files("raw_statistics_reference_data/**.json")
            .apply(new ReadCategories(tmp.getRoot().toString()));
    // three parse tallies (one per file) and two dedupe tallies (one per region)
    PAssert.thatSingleton(out.get(ReadCategories.TALLIES).apply("CountTallies", Count.globally()))
        .isEqualTo(5L);
    PAssert.thatSingleton(
            out.get(ReadCategories.CATEGORIES).apply("CountCategories", Count.globally()))
        .isEqualTo(1000L);
    p.run();
  }
}
