package dev.trendlake.runners;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trendlake.testkit.LakeReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.parquet.schema.MessageType;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The second dataset through the same engine: {@code --dataset=tmdb} over {@code
 * testdata/tmdb/bronze} (real TMDB list responses with every bad-record kind of the contract),
 * every output compared with {@code testdata/tmdb/expected/} ({@code -Dtrendlake.updateGolden=true}
 * rewrites them, for review); a re-run that finds nothing new, a full re-run with the same rows,
 * incremental arrivals (a late better duplicate, a genre list that changes) that equal one full
 * run, the embedded Flink cluster's output equal to the DirectRunner's, and a YouTube lake refused.
 */
public class TmdbRunTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  static final Path ROOT = GoldenRunTest.findRoot();
  static final Path BRONZE = ROOT.resolve("testdata/tmdb/bronze");
  static final Path EXPECTED = ROOT.resolve("testdata/tmdb/expected");
  static final String TRENDING_P2 = "raw_tmdb/shows/data_type=trending/dt=2025-05-26/page-002.json";
  static final String GENRES = "raw_tmdb/genres/tv_genre_list.json";

  static Path lake;
  static String summary;

  static String[] args(Path in, Path out, String... extra) {
    // no --warehouse: TMDB has no warehouse tables yet, so its default is none
    String[] base = {"--dataset=tmdb", "--input=" + in, "--output=" + out, "--runner=DirectRunner"};
    String[] all = new String[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return all;
  }

  @BeforeClass
  public static void runOnce() throws IOException {
    lake = TMP.newFolder("lake").toPath();
    summary = GoldenRunTest.run(args(BRONZE, lake));
  }

  private static void compare(String name, String actual) throws IOException {
    Path f = EXPECTED.resolve(name);
    if (Boolean.getBoolean("trendlake.updateGolden")) {
      Files.createDirectories(EXPECTED);
      Files.writeString(f, actual, StandardCharsets.UTF_8);
    }
    assertTrue("missing golden file " + f, Files.exists(f));
    assertEquals("differs from " + f, Files.readString(f, StandardCharsets.UTF_8), actual);
  }

  @Test
  public void everyOutputMatchesExpected() throws IOException {
    compare(
        "gold.jsonl", GoldenRunTest.lines(LakeReader.parquetRows(lake.resolve("gold/tmdb_shows"))));
    compare(
        "silver_shows.jsonl",
        GoldenRunTest.lines(LakeReader.parquetRows(lake.resolve("silver/tmdb_shows"))));
    compare(
        "silver_genres.jsonl",
        GoldenRunTest.lines(LakeReader.parquetRows(lake.resolve("silver/tmdb_genres"))));
    compare(
        "quarantine.jsonl", GoldenRunTest.lines(LakeReader.jsonLines(lake.resolve("quarantine"))));
    compare("manifest.json", LakeReader.manifestCounts(lake) + "\n");
  }

  @Test
  public void everyBadRecordKindIsQuarantinedWithItsBytesFileAndLine() throws IOException {
    List<String> q = LakeReader.jsonLines(lake.resolve("quarantine"));
    for (String reason :
        List.of(
            "invalid_show_id",
            "missing_name",
            "invalid_popularity",
            "invalid_vote_average",
            "invalid_vote_count",
            "invalid_first_air_date",
            "invalid_genre_ids",
            "invalid_origin_country",
            "malformed_json",
            "invalid_path",
            "invalid_genre")) {
      assertTrue(reason + " in " + q, q.stream().anyMatch(l -> l.contains("\"" + reason + "\"")));
    }
    String notAList =
        q.stream()
            .filter(l -> l.contains("dt=2025-05-27/page-001.json") && l.contains("popular"))
            .findFirst()
            .orElseThrow();
    assertTrue(notAList, notAList.contains("Invalid API key"));
    assertTrue(notAList, notAList.contains("\"line\":1"));
    JsonNode totals = LakeReaderJson.manifest(lake).path("totals");
    assertEquals(
        "records == silver + quarantined + duplicates",
        totals.path("records").asLong(),
        totals.path("silver").asLong()
            + totals.path("quarantined").asLong()
            + totals.path("duplicates").asLong());
  }

  @Test
  public void goldJoinsGenreNamesInGenreIdOrderWithNullForAnUnknownGenre() throws IOException {
    List<String> gold = LakeReader.parquetRows(lake.resolve("gold/tmdb_shows"));
    String mankind =
        gold.stream().filter(l -> l.contains("For All Mankind")).findFirst().orElseThrow();
    assertTrue(mankind, mankind.contains("\"genre_names\":[\"Drama\",\"Sci-Fi & Fantasy\",null]"));
    assertTrue(mankind, mankind.contains("\"genre_ids\":[\"18\",\"10765\",\"10768\"]"));
    String lastOfUs =
        gold.stream().filter(l -> l.contains("The Last of Us")).findFirst().orElseThrow();
    assertTrue("the duplicate with more votes won: " + lastOfUs, lastOfUs.contains("5999"));
    MessageType schema =
        LakeReader.parquetSchema(
            LakeReader.files(lake.resolve("gold/tmdb_shows"), ".parquet").get(0));
    assertTrue(
        schema.toString(),
        schema.getType("genre_names").toString().contains("repeated group list"));
    assertTrue(schema.toString(), schema.getType("first_air_date").toString().contains("DATE"));
    assertFalse("partition columns live in the path", schema.containsField("data_type"));
    assertTrue(summary, summary.contains("tmdb_shows files"));
    assertTrue(summary, summary.contains("data_type=<data_type>/dt=<yyyy-mm-dd>/"));
  }

  @Test
  public void aRerunFindsNothingNewAndAFullRerunWritesTheSameRows() throws IOException {
    Path again = TMP.newFolder("again").toPath();
    GoldenRunTest.run(args(BRONZE, again));
    String text = GoldenRunTest.run(args(BRONZE, again));
    assertTrue(text, text.contains("nothing new"));
    GoldenRunTest.run(args(BRONZE, again, "--mode=full"));
    Arrivals.assertSameLake("a full re-run", lake, again);
  }

  @Test
  public void aYouTubeLakeIsRefusedAndNamesWhatToDo() throws IOException {
    Path yt = TMP.newFolder("youtube-lake").toPath();
    GoldenRunTest.run(
        "--input=" + GoldenRunTest.BRONZE,
        "--output=" + yt,
        "--runner=DirectRunner",
        "--warehouse=none");
    CliRun r =
        CliRun.of(
            "run", "--dataset=tmdb", "--input=" + BRONZE, "--output=" + yt, "--warehouse=none");
    assertNotEquals(r.all(), 0, r.status());
    assertTrue(r.all(), r.all().contains("holds the lake of the youtube dataset"));
    assertTrue(r.all(), r.all().contains("--dataset=youtube"));
  }

  @Test
  public void aWarehouseIsNoneByDefaultAndRefusedUntilTheTablesExist() {
    assertFalse(
        "the local default (embedded) is not TMDB's", Files.exists(lake.resolve("warehouse")));
    CliRun r =
        CliRun.of(
            "run",
            "--dataset=tmdb",
            "--input=" + BRONZE,
            "--output=" + lake.resolveSibling("refused"),
            "--warehouse=embedded");
    assertNotEquals(r.all(), 0, r.status());
    assertTrue(
        r.all(),
        r.all().contains("--dataset=tmdb has no warehouse tables yet: use --warehouse=none"));
    assertFalse("refused before writing", Files.exists(lake.resolveSibling("refused")));
  }

  /**
   * The bronze arriving in three batches: the second brings a page with a better copy of a show the
   * first committed, the third a genre list that names a genre the first lacked (every partition is
   * joined again). Three incremental runs leave the lake of one full run.
   */
  @Test
  public void incrementalArrivalsEqualOneFullRun() throws IOException {
    List<String> all;
    try (var s = Files.walk(BRONZE)) {
      all =
          s.filter(Files::isRegularFile)
              .map(p -> BRONZE.relativize(p).toString())
              .sorted()
              .toList();
    }
    List<String> first =
        all.stream()
            .filter(f -> !f.equals(TRENDING_P2) && !f.startsWith("raw_tmdb/genres/"))
            .toList();
    Arrivals a = new Arrivals(BRONZE, TMP.newFolder("arrivals").toPath());
    Path inc = TMP.newFolder("incremental").toPath();
    a.arrive(first);
    a.write(GENRES, "{\"genres\": [{\"id\": 18, \"name\": \"Drama\"}]}\n");
    Arrivals.succeeded(a.run(inc, "--dataset=tmdb", "--runner=DirectRunner"));
    a.arrive(List.of(TRENDING_P2));
    Arrivals.succeeded(a.run(inc, "--dataset=tmdb", "--runner=DirectRunner"));
    assertEquals(
        List.of("data_type=trending/dt=2025-05-26"),
        strings(Arrivals.lastRun(inc).path("partitions_rewritten")));
    a.arrive(all.stream().filter(f -> f.startsWith("raw_tmdb/genres/")).toList());
    Arrivals.succeeded(a.run(inc, "--dataset=tmdb", "--runner=DirectRunner"));
    assertEquals(
        "a changed genre list rewrites every partition that holds rows",
        List.of(
            "data_type=airing_today/dt=2025-05-27",
            "data_type=popular/dt=2025-05-26",
            "data_type=trending/dt=2025-05-26"),
        strings(Arrivals.lastRun(inc).path("partitions_rewritten")).stream().sorted().toList());

    Path full = TMP.newFolder("full").toPath();
    Arrivals.succeeded(a.run(full, "--dataset=tmdb", "--runner=DirectRunner", "--mode=full"));
    Arrivals.assertSameLake("3 incremental runs vs 1 full run", full, inc);
    // the arrivals' files are copies, so their change tokens differ: rows and counts must not
    assertEquals(
        "the arrivals' full run vs testdata's",
        LakeSnapshot.digestsOf(lake),
        LakeSnapshot.digestsOf(full));
    assertEquals(
        "the arrivals' manifest vs testdata's",
        LakeReader.manifestCounts(lake),
        LakeReader.manifestCounts(full));
  }

  @Test
  public void embeddedFlinkAtParallelismTwoMatchesDirectRunner() throws IOException {
    Path flink = TMP.newFolder("flink").toPath();
    GoldenRunTest.run(
        "--dataset=tmdb",
        "--input=" + BRONZE,
        "--output=" + flink,
        "--runner=FlinkRunner",
        "--parallelism=2",
        "--warehouse=none");
    LakeSnapshot.assertSameOutput(
        "FlinkRunner parallelism 2", LakeSnapshot.of(lake), LakeSnapshot.of(flink));
  }

  /** The live progress counts a TMDB read as YouTube's: every show file and byte, at 100%. */
  @Test
  public void progressCountsTheShowFiles() throws IOException {
    CliRun r =
        CliRun.run(
            args(
                BRONZE,
                TMP.newFolder("progress").toPath(),
                "--logFormat=json",
                "--progressInterval=1"));
    assertEquals(r.all(), 0, r.status());
    JsonNode last = null;
    for (String l : r.err().split("\n")) {
      if (l.startsWith("{\"event\":\"progress")) {
        last = new com.fasterxml.jackson.databind.ObjectMapper().readTree(l);
      }
    }
    assertTrue(r.err(), last != null && last.path("final").asBoolean());
    long showFiles;
    try (var s = Files.walk(BRONZE.resolve("raw_tmdb/shows"))) {
      showFiles = s.filter(Files::isRegularFile).count();
    }
    assertEquals(last.toString(), showFiles, last.path("files_total").asLong());
    assertEquals(last.toString(), showFiles, last.path("files").asLong());
    assertEquals(last.toString(), last.path("bytes_total").asLong(), last.path("bytes").asLong());
    assertEquals(last.toString(), 100.0, last.path("percent").asDouble(), 0);
  }

  static List<String> strings(JsonNode array) {
    List<String> out = new java.util.ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  /** The latest manifest as JSON. */
  static final class LakeReaderJson {
    static JsonNode manifest(Path lake) throws IOException {
      return new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(lake.resolve("_manifests/latest.json").toFile());
    }
  }
}
