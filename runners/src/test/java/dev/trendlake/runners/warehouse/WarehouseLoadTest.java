package dev.trendlake.runners.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trendlake.runners.CliRun;
import dev.trendlake.testkit.TestWarehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * End to end through {@link TrendlakeMain#run}: bronze testdata to gold to a real PostgreSQL 17.
 */
public class WarehouseLoadTest {
  private static TestWarehouse db;

  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  @BeforeClass
  public static void start() throws Exception {
    db = new TestWarehouse();
  }

  @AfterClass
  public static void stop() throws Exception {
    db.close();
  }

  static CliRun main(String... given) {
    // the DirectRunner's encodability/immutability checks re-encode every element: the core tests
    // keep them on; here they would only slow the end-to-end runs down
    String[] args =
        java.util.stream.Stream.concat(
                java.util.Arrays.stream(given),
                java.util.stream.Stream.of(
                    "--enforceEncodability=false", "--enforceImmutability=false"))
            .toArray(String[]::new);
    return CliRun.run(args);
  }

  static long goldRows(Path output) throws Exception {
    return regionsTotal(output, "gold");
  }

  /** A count of the latest manifest, added up over its regions. */
  static long regionsTotal(Path output, String count) throws Exception {
    JsonNode m = new ObjectMapper().readTree(output.resolve("_manifests/latest.json").toFile());
    long total = 0;
    for (JsonNode r : m.path("regions")) {
      total += r.path(count).asLong();
    }
    return total;
  }

  /**
   * The example queries of docs/warehouse.md run on the loaded star, and the first one counts each
   * video's views once (its highest count), not once per trending day.
   */
  static void assertExampleQueriesRun(String schema, long gold) throws Exception {
    String doc =
        Files.readString(
            TestWarehouse.bronze().getParent().getParent().resolve("docs/warehouse.md"));
    String examples = doc.substring(doc.indexOf("## Example SQL"));
    int start = examples.indexOf("```sql") + 6;
    examples = examples.substring(start, examples.indexOf("```", start));
    List<String> queries = new java.util.ArrayList<>();
    for (String q : examples.split(";")) {
      String sql = q.lines().filter(l -> !l.startsWith("--")).reduce("", (a, b) -> a + "\n" + b);
      if (!sql.isBlank()) {
        queries.add(sql);
      }
    }
    assertThat(queries.size(), greaterThan(3));
    try (java.sql.Connection c = db.admin();
        java.sql.Statement st = c.createStatement()) {
      st.execute("SET search_path TO " + schema);
      for (String q : queries) {
        try (java.sql.ResultSet rs = st.executeQuery(q)) {
          assertTrue("no rows: " + q, rs.next());
        }
      }
      try (java.sql.ResultSet rs = st.executeQuery(queries.get(0))) {
        long views = 0;
        long days = 0;
        while (rs.next()) {
          days += rs.getLong("trending_days");
          views += rs.getLong("views");
        }
        assertEquals(gold, days);
        assertEquals(
            db.count(
                "SELECT SUM(v) FROM (SELECT MAX(views) AS v FROM "
                    + schema
                    + ".fact_video_trending GROUP BY region_code, video_id) x"),
            views);
      }
    }
  }

  static String fingerprint(String schema) throws Exception {
    StringBuilder sb = new StringBuilder();
    for (String t :
        List.of(
            "dim_region",
            "dim_category",
            "dim_channel",
            "dim_video",
            "dim_date",
            "fact_video_trending")) {
      sb.append(t).append('=').append(db.digest("SELECT * FROM " + schema + "." + t)).append(' ');
    }
    return sb.toString();
  }

  /**
   * Three runs over the same input: the warehouse is unreachable (gold is committed anyway, the
   * error names host and database), then a re-run completes the load, then a third run changes
   * nothing.
   */
  @Test
  public void unreachableThenLoadedThenARepeatedRunChangesNothing() throws Exception {
    String schema = "full_load";
    Path output = tmp.newFolder("lake").toPath();
    int port = TestWarehouse.closedPort();
    CliRun failed =
        main(
            "--input=" + TestWarehouse.bronze(),
            "--output=" + output,
            "--warehouse=jdbc:postgresql://localhost:" + port + "/trenddb",
            "--warehouseUser=postgres",
            "--warehouseSchema=" + schema,
            "--warehouseAttempts=2");
    assertEquals(1, failed.status());
    assertThat(failed.err(), containsString("host localhost:" + port + ", database trenddb"));
    assertThat(failed.err(), containsString("Gold, silver and the run manifest were committed"));
    JsonNode m = new ObjectMapper().readTree(output.resolve("_manifests/latest.json").toFile());
    assertEquals("succeeded", m.path("status").asText());
    try (Stream<Path> files = Files.walk(output.resolve("gold/trending"))) {
      assertThat(files.filter(p -> p.toString().endsWith(".parquet")).count(), greaterThan(0L));
    }

    String[] args = {
      "--input=" + TestWarehouse.bronze(),
      "--output=" + output,
      "--warehouse=" + db.url(),
      "--warehouseUser=postgres",
      "--warehouseSchema=" + schema
    };
    CliRun first = main(args);
    assertEquals(first.err(), 0, first.status());
    // the lake was committed without its load: this run is a full one, loading everything
    assertThat(first.out(), containsString("did not finish"));
    assertThat(first.out(), containsString("fact_video_trending="));
    assertThat(first.out(), containsString("trendlake sql"));

    long gold = goldRows(output);
    assertThat(gold, greaterThan(0L));
    String s = schema + ".";
    assertEquals(gold, db.count("SELECT COUNT(*) FROM " + s + "fact_video_trending"));
    // dimensions hold exactly their distinct keys
    assertEquals(
        db.count("SELECT COUNT(DISTINCT video_id) FROM " + s + "fact_video_trending"),
        db.count("SELECT COUNT(*) FROM " + s + "dim_video"));
    assertEquals(
        db.count("SELECT COUNT(DISTINCT channel_key) FROM " + s + "fact_video_trending"),
        db.count("SELECT COUNT(*) FROM " + s + "dim_channel"));
    assertEquals(
        db.count("SELECT COUNT(DISTINCT date_key) FROM " + s + "fact_video_trending"),
        db.count("SELECT COUNT(*) FROM " + s + "dim_date"));
    assertEquals(
        0,
        db.count(
            "SELECT COUNT(*) FROM "
                + s
                + "fact_video_trending f LEFT JOIN "
                + s
                + "dim_video v USING (video_id) WHERE v.video_id IS NULL"));
    assertEquals(
        0,
        db.count(
            "SELECT COUNT(*) FROM "
                + s
                + "fact_video_trending f LEFT JOIN "
                + s
                + "dim_region r USING (region_code) WHERE r.region_code IS NULL"));
    assertThat(db.count("SELECT COUNT(*) FROM " + s + "dim_category"), greaterThan(0L));
    // BI tools inner-join the star: every fact row has its category, the unknown ones (the
    // manifest's unknown_category rows) through an inferred 'Unknown' member
    assertEquals(
        gold,
        db.count(
            "SELECT COUNT(*) FROM "
                + s
                + "fact_video_trending JOIN "
                + s
                + "dim_category USING (region_code, category_id)"));
    assertEquals(
        regionsTotal(output, "unknown_category"),
        db.count(
            "SELECT COUNT(*) FROM "
                + s
                + "fact_video_trending JOIN "
                + s
                + "dim_category USING (region_code, category_id) WHERE title = 'Unknown'"));
    assertThat(regionsTotal(output, "unknown_category"), greaterThan(0L));
    assertEquals(
        db.count(
            "SELECT COUNT(*) FROM (SELECT DISTINCT region_code, category_id FROM "
                + s
                + "dim_category) x"),
        db.count("SELECT COUNT(*) FROM " + s + "dim_category"));
    // sample rows: dim_date attributes, the channel key matches its SQL definition, tags are JSON
    assertEquals(
        List.of("20171114", "2017-11-14", "2017", "11", "14", "2", "46"),
        db.rows("SELECT * FROM " + s + "dim_date WHERE date_key = 20171114").get(0));
    assertEquals(
        0,
        db.count(
            "SELECT COUNT(*) FROM "
                + s
                + "dim_channel WHERE channel_key <> ('x' || left(encode(sha256(convert_to(CASE WHEN"
                + " channel_id IS NOT NULL AND channel_id <> '' THEN 'id:' || channel_id ELSE"
                + " 'title:' || COALESCE(channel_title, '') END, 'UTF8')), 'hex'),"
                + " 15))::bit(60)::bigint"));
    assertEquals(
        0,
        db.count(
            "SELECT COUNT(*) FROM " + s + "dim_video WHERE tags IS NULL OR left(tags, 1) <> '['"));
    assertEquals(
        db.count("SELECT COUNT(*) FROM " + s + "dim_video"),
        db.count("SELECT COUNT(*) FROM " + s + "dim_video WHERE tags::jsonb IS NOT NULL"));
    // staging tables are gone, the run is recorded
    assertEquals(
        0,
        db.count(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '"
                + schema
                + "' AND table_name LIKE 'st%'"));
    assertEquals(1, db.count("SELECT COUNT(*) FROM " + s + "load_run"));

    assertExampleQueriesRun(schema, gold);

    String before = fingerprint(schema);
    // a full run loads every row again: the MERGE changes nothing
    String[] full = java.util.Arrays.copyOf(args, args.length + 1);
    full[args.length] = "--mode=full";
    CliRun second = main(full);
    assertEquals(second.err(), 0, second.status());
    assertEquals(before, fingerprint(schema));
    assertEquals(gold, db.count("SELECT COUNT(*) FROM " + s + "fact_video_trending"));
    assertEquals(2, db.count("SELECT COUNT(*) FROM " + s + "load_run"));
  }

  @Test
  public void badWarehouseOptionsAreUsageErrors() {
    CliRun r =
        main(
            "--input=" + TestWarehouse.bronze(),
            "--output=" + tmp.getRoot().toPath().resolve("x"),
            "--warehouse=jdbc:postgresql://h/db?password=Sekrit99",
            "--warehouseSchema=Bad-Name");
    assertEquals(2, r.status());
    assertThat(r.err(), containsString("--warehouse must not carry a password"));
    assertThat(r.err(), containsString("--warehouseSchema 'Bad-Name' is not a valid name"));
    assertThat(r.err(), not(containsString("Sekrit99")));
    assertTrue(r.out().isEmpty());
  }

  /**
   * The fact table holds what gold holds after files are retracted: a partition the lake rewrote
   * without a row loses that fact, and a partition the lake removed loses all of its facts.
   */
  @Test
  public void retractedFilesLeaveTheWarehouseAsTheyLeaveGold() throws Exception {
    String schema = "retract_load";
    Path bronze = tmp.newFolder("bronze").toPath();
    try (Stream<Path> files = Files.walk(TestWarehouse.bronze())) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path to = bronze.resolve(TestWarehouse.bronze().relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(to);
        } else {
          Files.copy(f, to);
        }
      }
    }
    // a second file in a US partition: one more video on the first trending day
    Path extra = bronze.resolve("raw_statistics/region=us/ts=201711160000/extra.csv");
    Files.createDirectories(extra.getParent());
    Files.writeString(
        extra,
        "video_id,trending_date,title,channel_title,category_id,publish_time,tags,views,likes,"
            + "dislikes,comment_count,thumbnail_link,comments_disabled,ratings_disabled,"
            + "video_error_or_removed,description\n"
            + "zzzzzzzzzzz,17.14.11,Extra,Extra Channel,22,2017-11-13T17:13:01.000Z,[none],5,1,0,0,"
            + "https://i.ytimg.com/vi/zzzzzzzzzzz/default.jpg,False,False,False,extra\n");
    Path output = tmp.newFolder("lake").toPath();
    String[] args = {
      "--input=" + bronze,
      "--output=" + output,
      "--warehouse=" + db.url(),
      "--warehouseUser=postgres",
      "--warehouseSchema=" + schema,
      "--runner=DirectRunner"
    };
    CliRun first = main(args);
    assertEquals(first.err(), 0, first.status());
    String facts = "SELECT COUNT(*) FROM " + schema + ".fact_video_trending";
    long before = goldRows(output);
    assertEquals(before, db.count(facts));
    assertEquals(1, db.count(facts + " WHERE video_id = 'zzzzzzzzzzz'"));
    assertThat(db.count(facts + " WHERE region_code = 'ca'"), greaterThan(0L));

    Files.delete(extra);
    try (Stream<Path> ca = Files.walk(bronze.resolve("raw_statistics/region=CA"))) {
      for (Path f : (Iterable<Path>) ca.filter(Files::isRegularFile)::iterator) {
        Files.delete(f);
      }
    }
    String[] again = java.util.Arrays.copyOf(args, args.length + 1);
    again[args.length] = "--reprocess=changed";
    CliRun second = main(again);
    assertEquals(second.err(), 0, second.status());
    long after = goldRows(output);
    assertThat(after, lessThan(before));
    assertEquals(after, db.count(facts));
    assertEquals(0, db.count(facts + " WHERE video_id = 'zzzzzzzzzzz'"));
    assertEquals(0, db.count(facts + " WHERE region_code = 'ca'"));
  }
}
