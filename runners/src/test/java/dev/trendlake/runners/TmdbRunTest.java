package dev.trendlake.runners;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trendlake.pipeline.warehouse.ShowStar;
import dev.trendlake.pipeline.warehouse.StarSchema;
import dev.trendlake.testkit.LakeReader;
import dev.trendlake.testkit.TestWarehouse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.parquet.schema.MessageType;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The second dataset through the same engine: {@code --dataset=tmdb} over {@code
 * testdata/tmdb/bronze} (real TMDB list responses with every bad-record kind of the contract),
 * every output compared with {@code testdata/tmdb/expected/} ({@code -Dtrendlake.updateGolden=true}
 * rewrites them, for review); a re-run that finds nothing new, a full re-run with the same rows,
 * incremental arrivals (a late better duplicate, a genre list that changes, a retracted list) that
 * leave the lake and the warehouse of one full run, the embedded Flink cluster's output equal to
 * the DirectRunner's, a YouTube lake refused, and the embedded warehouse loaded by default ({@link
 * TmdbWarehouseTest} checks the star's tables against gold).
 */
public class TmdbRunTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static TestWarehouse db;

  static final Path ROOT = GoldenRunTest.findRoot();
  static final Path BRONZE = ROOT.resolve("testdata/tmdb/bronze");
  static final Path EXPECTED = ROOT.resolve("testdata/tmdb/expected");
  static final String TRENDING_P2 = "raw_tmdb/shows/data_type=trending/dt=2025-05-26/page-002.json";
  static final String GENRES = "raw_tmdb/genres/tv_genre_list.json";

  static Path lake;
  static String summary;

  /** A run without a warehouse, unless {@code extra} names one. */
  static String[] args(Path in, Path out, String... extra) {
    List<String> all =
        new java.util.ArrayList<>(
            List.of("--dataset=tmdb", "--input=" + in, "--output=" + out, "--runner=DirectRunner"));
    if (java.util.Arrays.stream(extra).noneMatch(o -> o.startsWith("--warehouse="))) {
      all.add("--warehouse=none");
    }
    all.addAll(List.of(extra));
    return all.toArray(new String[0]);
  }

  @BeforeClass
  public static void runOnce() throws IOException {
    db = new TestWarehouse();
    lake = TMP.newFolder("lake").toPath();
    summary = GoldenRunTest.run(args(BRONZE, lake));
  }

  @AfterClass
  public static void stop() throws IOException {
    db.close();
  }

  private static String[] into(String schema) {
    return new String[] {
      "--dataset=tmdb",
      "--runner=DirectRunner",
      "--warehouse=" + db.url(),
      "--warehouseUser=postgres",
      "--warehouseSchema=" + schema
    };
  }

  /** A digest of each of the star's tables in {@code schema}. */
  private static String star(String schema, List<String> tables) throws Exception {
    StringBuilder sb = new StringBuilder();
    for (String t : tables) {
      sb.append(t).append(": ").append(db.digest("SELECT * FROM " + schema + "." + t)).append('\n');
    }
    return sb.toString();
  }

  private static final List<String> STAR =
      ShowStar.MERGED.stream().map(StarSchema.Table::name).toList();

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

  /**
   * Without --warehouse a local output's warehouse is the embedded one, for TMDB as for YouTube.
   */
  @Test
  public void theEmbeddedWarehouseIsTheDefaultAndHoldsTheStar() throws IOException {
    Path out = TMP.newFolder("embedded").toPath();
    String text =
        GoldenRunTest.run(
            "--dataset=tmdb", "--input=" + BRONZE, "--output=" + out, "--runner=DirectRunner");
    assertTrue(Files.isDirectory(out.resolve("warehouse/pgdata")));
    assertTrue(text, text.contains("embedded PostgreSQL 17"));
    assertTrue(text, text.contains("fact_show_daily=14"));
    CliRun q =
        CliRun.of(
            "sql",
            "--output=" + out,
            "--format=csv",
            "SELECT COUNT(*) AS facts, COUNT(DISTINCT show_id) AS shows FROM fact_show_daily");
    assertEquals(q.all(), 0, q.status());
    assertTrue(q.all(), q.out().replace("\r", "").contains("facts,shows\n14,12\n"));
    CliRun copy =
        CliRun.of(
            "run",
            "--dataset=tmdb",
            "--input=" + BRONZE,
            "--output=s3://bucket/refused",
            "--warehouse=jdbc:redshift://wg.example.com:5439/dev",
            "--warehouseLoad=copy",
            "--redshiftCopyRoleArn=arn:aws:iam::123456789012:role/copy");
    assertNotEquals(copy.all(), 0, copy.status());
    assertTrue(
        copy.all(),
        copy.all().contains("--warehouseLoad=copy is not built for --dataset=tmdb yet"));
  }

  /**
   * The bronze arriving in three batches: the second brings a page with a better copy of a show the
   * first committed, the third a genre list that names a genre the first lacked (every partition is
   * joined again). Three incremental runs leave the lake and the warehouse of one full run; a
   * list's files then retracted take its facts with them, as they leave gold.
   */
  @Test
  public void incrementalArrivalsEqualOneFullRun() throws Exception {
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
    Arrivals.succeeded(a.run(inc, into("tmdb_inc")));
    a.arrive(List.of(TRENDING_P2));
    Arrivals.succeeded(a.run(inc, into("tmdb_inc")));
    assertEquals(
        List.of("data_type=trending/dt=2025-05-26"),
        strings(Arrivals.lastRun(inc).path("partitions_rewritten")));
    a.arrive(all.stream().filter(f -> f.startsWith("raw_tmdb/genres/")).toList());
    Arrivals.succeeded(a.run(inc, into("tmdb_inc")));
    assertEquals(
        "a changed genre list rewrites every partition that holds rows",
        List.of(
            "data_type=airing_today/dt=2025-05-27",
            "data_type=popular/dt=2025-05-26",
            "data_type=trending/dt=2025-05-26"),
        strings(Arrivals.lastRun(inc).path("partitions_rewritten")).stream().sorted().toList());

    Path full = TMP.newFolder("full").toPath();
    Arrivals.succeeded(a.run(full, concat(into("tmdb_full"), "--mode=full")));
    Arrivals.assertSameLake("3 incremental runs vs 1 full run", full, inc);
    assertEquals(
        "3 incremental loads vs 1 full load", star("tmdb_full", STAR), star("tmdb_inc", STAR));
    assertEquals(14, db.count("SELECT COUNT(*) FROM tmdb_inc.fact_show_daily"));
    // the arrivals' files are copies, so their change tokens differ: rows and counts must not
    assertEquals(
        "the arrivals' full run vs testdata's",
        LakeSnapshot.digestsOf(lake),
        LakeSnapshot.digestsOf(full));
    assertEquals(
        "the arrivals' manifest vs testdata's",
        LakeReader.manifestCounts(lake),
        LakeReader.manifestCounts(full));

    // the airing_today list's files disappear: its partition leaves gold, its facts the warehouse
    // (the dimensions keep their rows, so only the facts are compared)
    for (String f : all) {
      if (f.contains("data_type=airing_today/")) {
        Files.delete(a.bronze.resolve(f));
      }
    }
    Arrivals.succeeded(a.run(inc, concat(into("tmdb_inc"), "--reprocess=changed")));
    assertEquals(
        List.of("data_type=airing_today/dt=2025-05-27"),
        strings(Arrivals.lastRun(inc).path("partitions_removed")));
    Path after = TMP.newFolder("full-after").toPath();
    Arrivals.succeeded(a.run(after, concat(into("tmdb_after"), "--mode=full")));
    Arrivals.assertSameLake("retraction vs full lake", after, inc);
    List<String> facts = List.of("fact_show_daily");
    assertEquals(star("tmdb_after", facts), star("tmdb_inc", facts));
    assertEquals(
        "the retracted list's three facts are gone",
        11,
        db.count("SELECT COUNT(*) FROM tmdb_inc.fact_show_daily"));
    assertEquals(
        0,
        db.count("SELECT COUNT(*) FROM tmdb_inc.fact_show_daily WHERE data_type = 'airing_today'"));
  }

  private static String[] concat(String[] a, String b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + 1);
    out[a.length] = b;
    return out;
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
