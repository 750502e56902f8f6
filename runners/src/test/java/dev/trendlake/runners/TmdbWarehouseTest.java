package dev.trendlake.runners;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trendlake.pipeline.warehouse.ShowStar;
import dev.trendlake.pipeline.warehouse.StarSchema;
import dev.trendlake.testkit.LakeReader;
import dev.trendlake.testkit.TestWarehouse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * TMDB's star loaded by {@code trendlake run --dataset=tmdb} over {@code testdata/tmdb/bronze} into
 * a real PostgreSQL 17, every table checked against the gold the same run committed: one fact per
 * gold row, each show's attributes and genre list from its latest day, the genres with an inferred
 * member for each id no genre file names, the foreign keys, and a full re-run that leaves every
 * table as it was.
 */
public class TmdbWarehouseTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static TestWarehouse db;
  private static Path lake;
  private static String summary;

  /** Gold's rows, as JSON. */
  private static List<JsonNode> gold;

  @BeforeClass
  public static void loadOnce() throws Exception {
    db = new TestWarehouse();
    lake = TMP.newFolder("lake").toPath();
    summary = GoldenRunTest.run(args(lake));
    gold = new ArrayList<>();
    for (String line : LakeReader.parquetRows(lake.resolve("gold/tmdb_shows"))) {
      gold.add(JSON.readTree(line));
    }
  }

  @AfterClass
  public static void stop() throws Exception {
    db.close();
  }

  private static String[] args(Path out, String... extra) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "--dataset=tmdb",
                "--input=" + TmdbRunTest.BRONZE,
                "--output=" + out,
                "--runner=DirectRunner",
                "--warehouse=" + db.url(),
                "--warehouseUser=postgres",
                "--warehouseSchema=tmdb"));
    a.addAll(List.of(extra));
    return a.toArray(new String[0]);
  }

  private static int dateKey(String isoDay) {
    return Integer.parseInt(isoDay.replace("-", ""));
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.isNull() ? null : n.asText()));
    return out;
  }

  /** A double as Java prints it, from the text of either side. */
  private static String number(String text) {
    return Double.toString(Double.parseDouble(text));
  }

  /** Each show's row of its latest day, ties between lists broken by the list's name. */
  private static Map<Long, JsonNode> latest() {
    Map<Long, JsonNode> out = new TreeMap<>();
    Comparator<JsonNode> newest =
        Comparator.<JsonNode, String>comparing(n -> n.path("dt").asText())
            .reversed()
            .thenComparing(n -> n.path("data_type").asText());
    gold.stream().sorted(newest).forEach(n -> out.putIfAbsent(n.path("show_id").asLong(), n));
    return out;
  }

  @Test
  public void everyGoldRowIsOneFactWithItsMeasures() throws Exception {
    List<String> expected = new ArrayList<>();
    for (JsonNode n : gold) {
      expected.add(
          String.join(
              "|",
              n.path("data_type").asText(),
              n.path("show_id").asText(),
              Integer.toString(dateKey(n.path("dt").asText())),
              number(n.path("popularity").asText()),
              number(n.path("vote_average").asText()),
              n.path("vote_count").asText(),
              Integer.toString(n.path("genre_ids").size()),
              n.path("ingestion_date").asText()));
    }
    List<String> actual = new ArrayList<>();
    for (List<String> r :
        db.rows(
            "SELECT data_type, show_id, date_key, popularity, vote_average, vote_count,"
                + " genre_count, ingestion_date FROM tmdb.fact_show_daily")) {
      actual.add(
          String.join(
              "|",
              r.get(0),
              r.get(1),
              r.get(2),
              number(r.get(3)),
              number(r.get(4)),
              r.get(5),
              r.get(6),
              r.get(7)));
    }
    expected.sort(null);
    actual.sort(null);
    assertEquals(14, gold.size());
    assertEquals(expected, actual);
  }

  @Test
  public void eachShowHasTheAttributesOfItsLatestDay() throws Exception {
    Map<Long, List<String>> expected = new TreeMap<>();
    latest()
        .forEach(
            (id, n) -> {
              try {
                expected.put(
                    id,
                    java.util.Arrays.asList(
                        n.path("title").asText(),
                        n.path("original_title").isNull()
                            ? null
                            : n.path("original_title").asText(),
                        n.path("original_language").asText(null),
                        n.path("first_air_date").asText(null),
                        n.path("poster_path").asText(null),
                        n.path("backdrop_path").asText(null),
                        n.path("overview").asText(null),
                        JSON.writeValueAsString(texts(n.path("origin_country"))),
                        Integer.toString(dateKey(n.path("dt").asText()))));
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    Map<Long, List<String>> actual = new TreeMap<>();
    for (List<String> r :
        db.rows(
            "SELECT show_id, title, original_title, original_language, first_air_date,"
                + " poster_path, backdrop_path, overview, origin_country, last_date_key FROM"
                + " tmdb.dim_show")) {
      actual.put(Long.parseLong(r.get(0)), r.subList(1, r.size()));
    }
    assertEquals(12, expected.size());
    assertEquals(expected, actual);
    assertEquals(
        "Legend of Zang Hai: its airing_today day (2025-05-27) is later than its trending one",
        "20250527",
        db.one("SELECT last_date_key FROM tmdb.dim_show WHERE show_id = 252640"));
  }

  @Test
  public void theGenreBridgeFollowsGenreIdsOrderOfTheLatestDay() throws Exception {
    Map<Long, List<String>> expected = new TreeMap<>();
    latest().forEach((id, n) -> expected.put(id, texts(n.path("genre_ids"))));
    Map<Long, List<String>> actual = new TreeMap<>();
    expected.keySet().forEach(id -> actual.put(id, new ArrayList<>()));
    for (List<String> r :
        db.rows(
            "SELECT show_id, genre_id, position FROM tmdb.bridge_show_genre ORDER BY show_id,"
                + " position")) {
      List<String> list = actual.get(Long.parseLong(r.get(0)));
      assertEquals(
          "positions count from one without gaps: " + r,
          list.size() + 1,
          Integer.parseInt(r.get(2)));
      list.add(r.get(1));
    }
    assertEquals(expected, actual);
    assertEquals(
        "Legend of Zang Hai keeps the genres of its latest day, not its trending day's [18, 99999]",
        List.of("18"),
        actual.get(252640L));
  }

  @Test
  public void anUnknownGenreIdMapsToTheUnknownMemberAndInnerJoinsKeepEveryRow() throws Exception {
    Map<String, String> expected = new TreeMap<>();
    for (String line : LakeReader.parquetRows(lake.resolve("silver/tmdb_genres"))) {
      JsonNode g = JSON.readTree(line);
      expected.put(g.path("genre_id").asText(), g.path("name").asText());
    }
    TreeSet<String> used = new TreeSet<>();
    gold.forEach(n -> used.addAll(texts(n.path("genre_ids"))));
    for (String id : used) {
      expected.putIfAbsent(id, ShowStar.UNKNOWN_GENRE);
    }
    Map<String, String> actual = new TreeMap<>();
    for (List<String> r : db.rows("SELECT genre_id, name FROM tmdb.dim_genre")) {
      actual.put(r.get(0), r.get(1));
    }
    assertEquals(expected, actual);
    assertEquals("Unknown", actual.get("10768"));
    assertEquals("Unknown", actual.get("99999"));
    assertEquals(
        "For All Mankind's genres, in order, through an inner join",
        List.of(List.of("Drama"), List.of("Sci-Fi & Fantasy"), List.of("Unknown")),
        db.rows(
            "SELECT g.name FROM tmdb.dim_show s JOIN tmdb.bridge_show_genre b USING (show_id)"
                + " JOIN tmdb.dim_genre g USING (genre_id) WHERE s.title = 'For All Mankind'"
                + " ORDER BY b.position"));
    long bridgeRowsPerFact = 0;
    Map<Long, JsonNode> latest = latest();
    for (JsonNode n : gold) {
      bridgeRowsPerFact += latest.get(n.path("show_id").asLong()).path("genre_ids").size();
    }
    assertEquals(
        "every fact joins its show, each of its genres and their names",
        bridgeRowsPerFact,
        db.count(
            "SELECT COUNT(*) FROM tmdb.fact_show_daily f JOIN tmdb.dim_show s USING (show_id)"
                + " JOIN tmdb.bridge_show_genre b USING (show_id) JOIN tmdb.dim_genre g USING"
                + " (genre_id)"));
    assertEquals(
        gold.size(),
        db.count("SELECT COUNT(*) FROM tmdb.fact_show_daily JOIN tmdb.dim_show USING (show_id)"));
  }

  @Test
  public void foreignKeysAreDeclaredAndTheSummaryCountsTheTables() throws Exception {
    assertEquals(
        ShowStar.FOREIGN_KEYS.stream().map(StarSchema.ForeignKey::name).sorted().toList(),
        db
            .rows(
                "SELECT constraint_name FROM information_schema.table_constraints WHERE"
                    + " table_schema = 'tmdb' AND constraint_type = 'FOREIGN KEY' ORDER BY 1")
            .stream()
            .map(r -> r.get(0))
            .toList());
    assertTrue(summary, summary.contains("fact_show_daily=14"));
    assertTrue(summary, summary.contains("dim_show=12"));
    assertTrue(summary, summary.contains("FROM fact_show_daily GROUP BY data_type"));
  }

  /** The example queries of docs/warehouse.md's TMDB section run on the loaded star. */
  @Test
  public void theDocumentedQueriesRun() throws Exception {
    String doc = java.nio.file.Files.readString(GoldenRunTest.ROOT.resolve("docs/warehouse.md"));
    String section = doc.substring(doc.indexOf("## TMDB's star"));
    int start = section.indexOf("```sql") + 6;
    List<String> queries = new ArrayList<>();
    for (String q : section.substring(start, section.indexOf("```", start)).split(";")) {
      String sql = q.lines().filter(l -> !l.startsWith("--")).reduce("", (x, y) -> x + "\n" + y);
      if (!sql.isBlank()) {
        queries.add(sql);
      }
    }
    assertEquals(3, queries.size());
    try (java.sql.Connection c = db.admin();
        java.sql.Statement st = c.createStatement()) {
      st.execute("SET search_path TO tmdb");
      for (String q : queries) {
        try (java.sql.ResultSet rs = st.executeQuery(q)) {
          assertTrue("no rows: " + q, rs.next());
        }
      }
      long days = 0;
      try (java.sql.ResultSet rs = st.executeQuery(queries.get(0))) {
        while (rs.next()) {
          days += rs.getLong("show_days");
        }
      }
      assertEquals("show-days per list add up to the gold rows", gold.size(), days);
    }
  }

  /** A full re-run of the same bronze into the same lake and schema changes no table. */
  @Test
  public void aFullRerunLeavesTheWarehouseIdentical() throws Exception {
    Map<String, String> before = digests();
    GoldenRunTest.run(args(lake, "--mode=full"));
    assertEquals(before, digests());
    assertEquals(2, db.count("SELECT COUNT(*) FROM tmdb.load_run"));
  }

  private static Map<String, String> digests() throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    for (StarSchema.Table t : ShowStar.MERGED) {
      out.put(t.name(), db.digest("SELECT * FROM tmdb." + t.name()));
    }
    return out;
  }
}
