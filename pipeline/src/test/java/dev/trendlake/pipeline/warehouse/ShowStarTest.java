package dev.trendlake.pipeline.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.trendlake.testkit.TestWarehouse;
import dev.trendlake.transforms.row.Partition;
import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.tmdb.GenreColumns;
import dev.trendlake.transforms.tmdb.ShowColumns;
import dev.trendlake.transforms.tmdb.TmdbDataset;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * TMDB's star through the shared loader: its Redshift statements (there is no Redshift here), and
 * against a real PostgreSQL 17 the genre bridge following the show's latest version, inferred
 * genres, a retried bundle, both staging methods, and a repeated load that changes nothing.
 */
public class ShowStarTest {
  private static TestWarehouse db;

  @BeforeClass
  public static void start() throws Exception {
    db = new TestWarehouse();
  }

  @AfterClass
  public static void stop() throws Exception {
    db.close();
  }

  private static final List<Row> GENRES =
      List.of(GenreColumns.of(1, "Drama", "g.json"), GenreColumns.of(2, "Comedy", "g.json"));

  private static WarehouseTarget target(String schema) {
    return new WarehousePlan(
            "jdbc", db.url(), "postgres", schema, null, WarehouseTarget.LoadMethod.JDBC, null, 5)
        .target(null);
  }

  private static int day(String iso) {
    return (int) LocalDate.parse(iso).toEpochDay();
  }

  static Row show(String list, String dt, long id, String title, long votes, Long... genres) {
    return ShowColumns.SCHEMA
        .row()
        .set(ShowColumns.DATA_TYPE, list)
        .set(ShowColumns.DT, day(dt))
        .set(ShowColumns.SHOW_ID, id)
        .set(ShowColumns.TITLE, title)
        .set(ShowColumns.ORIGINAL_TITLE, title + " (original)")
        .set(ShowColumns.POPULARITY, 12.5 + id)
        .set(ShowColumns.VOTE_AVERAGE, 7.25)
        .set(ShowColumns.VOTE_COUNT, votes)
        .set(ShowColumns.FIRST_AIR_DATE, id % 2 == 0 ? null : day("2020-02-29"))
        .set(ShowColumns.GENRE_IDS, List.of(genres))
        .set(ShowColumns.ORIGIN_COUNTRY, List.of("US", "GB"))
        .set(ShowColumns.POSTER_PATH, "/p" + id + ".jpg")
        .set(ShowColumns.BACKDROP_PATH, null)
        .set(ShowColumns.OVERVIEW, "Line\twith \"tab\"\nand \\ backslash")
        .set(ShowColumns.ORIGINAL_LANGUAGE, "en")
        .set(ShowColumns.INGESTION_DATE, day(dt))
        .set(ShowColumns.GENRE_NAMES, List.of())
        .build(0);
  }

  static Partition partition(String list, String dt, Row... rows) {
    return new Partition("data_type=" + list + "/dt=" + dt, list, List.of(rows));
  }

  private static long load(WarehouseTarget t, String runId, Partition... parts) {
    return load(t, runId, List.of(), parts);
  }

  private static long load(
      WarehouseTarget t, String runId, List<String> removed, Partition... parts) {
    try (WarehouseLoader l = new WarehouseLoader(t, ShowStar.INSTANCE, runId)) {
      l.prepare();
      long n = l.stage(List.of(parts));
      return l.merge(n, GENRES, removed).merged().getOrDefault("fact_show_daily", -1L);
    }
  }

  private static List<String> bridge(String schema, long show) throws Exception {
    List<String> out = new ArrayList<>();
    for (List<String> r :
        db.rows(
            "SELECT b.position, b.genre_id, g.name FROM "
                + schema
                + ".bridge_show_genre b JOIN "
                + schema
                + ".dim_genre g USING (genre_id) WHERE show_id = "
                + show
                + " ORDER BY position")) {
      out.add(String.join(" ", r));
    }
    return out;
  }

  private static String star(String schema) throws Exception {
    StringBuilder sb = new StringBuilder();
    for (StarSchema.Table t : ShowStar.MERGED) {
      sb.append(t.name())
          .append(' ')
          .append(db.digest("SELECT * FROM " + schema + "." + t.name()))
          .append('\n');
    }
    return sb.toString();
  }

  @Test
  public void theBridgeHoldsTheGenresOfTheShowsLatestDayAndAnOlderDayLeavesThem() throws Exception {
    WarehouseTarget t = target("bridge");
    load(
        t,
        "b1",
        partition("popular", "2025-05-26", show("popular", "2025-05-26", 7, "A", 10, 1L, 2L, 3L)));
    assertEquals(List.of("1 1 Drama", "2 2 Comedy", "3 3 Unknown"), bridge("bridge", 7));

    // the next day the show has one genre: its list is replaced whole
    load(
        t, "b2", partition("popular", "2025-05-27", show("popular", "2025-05-27", 7, "B", 11, 2L)));
    assertEquals(List.of("1 2 Comedy"), bridge("bridge", 7));
    assertEquals("B", db.one("SELECT title FROM bridge.dim_show WHERE show_id = 7"));

    // an older day loaded later neither changes the attributes nor the list
    load(
        t,
        "b3",
        partition("trending", "2025-05-25", show("trending", "2025-05-25", 7, "Old", 9, 1L, 1L)));
    assertEquals(List.of("1 2 Comedy"), bridge("bridge", 7));
    assertEquals("B", db.one("SELECT title FROM bridge.dim_show WHERE show_id = 7"));
    assertEquals(3, db.count("SELECT COUNT(*) FROM bridge.fact_show_daily"));

    // the same day again, from another list: the later load wins the tie, as YouTube's videos do
    load(
        t,
        "b4",
        partition(
            "airing_today", "2025-05-27", show("airing_today", "2025-05-27", 7, "C", 11, 1L, 1L)));
    assertEquals(List.of("1 1 Drama", "2 1 Drama"), bridge("bridge", 7));
    assertEquals("C", db.one("SELECT title FROM bridge.dim_show WHERE show_id = 7"));

    // a latest day without genres empties the list
    load(t, "b5", partition("popular", "2025-05-28", show("popular", "2025-05-28", 7, "D", 12)));
    assertEquals(List.of(), bridge("bridge", 7));
    assertEquals(
        "the genre ids count per fact",
        List.of(
            List.of("20250525", "2"),
            List.of("20250526", "3"),
            List.of("20250527", "2"),
            List.of("20250527", "1"),
            List.of("20250528", "0")),
        db.rows(
            "SELECT date_key::text, genre_count::text FROM bridge.fact_show_daily ORDER BY"
                + " date_key, data_type"));
  }

  @Test
  public void aRepeatedLoadChangesNothingAndEqualsOneLoad() throws Exception {
    Partition a =
        partition(
            "trending",
            "2025-05-26",
            show("trending", "2025-05-26", 1, "One", 5, 1L, 4L),
            show("trending", "2025-05-26", 2, "Two", 6));
    Partition b =
        partition("popular", "2025-05-27", show("popular", "2025-05-27", 1, "One again", 7, 2L));
    WarehouseTarget t = target("again");
    assertEquals(3L, load(t, "a1", a, b));
    String first = star("again");
    assertEquals("a repeated load merges no fact", 0L, load(t, "a2", a, b));
    assertEquals(first, star("again"));
    load(target("parts"), "p1", a);
    load(target("parts"), "p2", b);
    assertEquals("two loads equal one", first, star("parts"));
    assertEquals(
        "an unknown genre id gets an inferred member; a named one keeps its name",
        List.of(List.of("1", "Drama"), List.of("2", "Comedy"), List.of("4", "Unknown")),
        db.rows("SELECT genre_id::text, name FROM again.dim_genre ORDER BY genre_id"));
    assertEquals(
        java.util.Arrays.asList(
            "One again",
            "One again (original)",
            "en",
            "2020-02-29",
            "/p1.jpg",
            null,
            "Line\twith \"tab\"\nand \\ backslash",
            "[\"US\",\"GB\"]",
            "20250527"),
        db.rows(
                "SELECT title, original_title, original_language, first_air_date::text,"
                    + " poster_path, backdrop_path, overview, origin_country, last_date_key::text"
                    + " FROM again.dim_show WHERE show_id = 1")
            .get(0));
    assertEquals(
        List.of("popular", "1", "20250527", "13.5", "7.25", "7", "1", "2025-05-27"),
        db.rows(
                "SELECT data_type, show_id::text, date_key::text, popularity::text,"
                    + " vote_average::text, vote_count::text, genre_count::text,"
                    + " ingestion_date::text FROM again.fact_show_daily WHERE data_type ="
                    + " 'popular'")
            .get(0));
  }

  @Test
  public void aReplacedPartitionAndARemovedOneTakeTheirFacts() throws Exception {
    WarehouseTarget t = target("replaced");
    load(
        t,
        "r1",
        partition(
            "trending",
            "2025-05-26",
            show("trending", "2025-05-26", 1, "One", 5),
            show("trending", "2025-05-26", 2, "Two", 5)),
        partition("popular", "2025-05-26", show("popular", "2025-05-26", 3, "Three", 5)));
    load(
        t,
        "r2",
        List.of("data_type=popular/dt=2025-05-26"),
        partition("trending", "2025-05-26", show("trending", "2025-05-26", 2, "Two", 6)));
    assertEquals(
        List.of(List.of("trending", "2", "6")),
        db.rows("SELECT data_type, show_id::text, vote_count::text FROM replaced.fact_show_daily"));
    assertEquals(
        "dimensions keep their rows", 3, db.count("SELECT COUNT(*) FROM replaced.dim_show"));
  }

  @Test
  public void copyProtocolAndBatchedInsertsStageTheSameRows() throws Exception {
    List<Partition> parts =
        List.of(
            partition(
                "trending",
                "2025-05-26",
                show("trending", "2025-05-26", 1, "Ünï \"q\"\ttab", 5, 1L, 4L, 4L),
                show("trending", "2025-05-26", 2, "Two", 6)),
            partition("popular", "2025-05-27", show("popular", "2025-05-27", 2, "Two", 7, 2L)));
    List<String> stars = new ArrayList<>();
    for (WarehouseLoader.StageMethod m : WarehouseLoader.StageMethod.values()) {
      String schema = "tmdb_" + m.name().toLowerCase();
      try (WarehouseLoader l =
          new WarehouseLoader(target(schema), ShowStar.INSTANCE, "s-" + m).withStageMethod(m)) {
        l.prepare();
        // a retried bundle overlapping the first replaces its partitions' staged rows
        l.stage(parts.subList(0, 1));
        l.merge(l.stage(parts), GENRES, List.of());
      }
      stars.add(star(schema));
    }
    assertEquals(stars.get(0), stars.get(1));
    assertEquals(3, db.count("SELECT COUNT(*) FROM tmdb_copy_protocol.fact_show_daily"));
  }

  @Test
  public void foreignKeysAreDeclaredAndEveryRowJoinsItsDimensions() throws Exception {
    load(
        target("keys"),
        "k1",
        partition("trending", "2025-05-26", show("trending", "2025-05-26", 1, "One", 5, 1L, 9L)));
    assertEquals(
        ShowStar.FOREIGN_KEYS.stream().map(StarSchema.ForeignKey::name).sorted().toList(),
        db
            .rows(
                "SELECT constraint_name FROM information_schema.table_constraints WHERE"
                    + " table_schema = 'keys' AND constraint_type = 'FOREIGN KEY' ORDER BY 1")
            .stream()
            .map(r -> r.get(0))
            .toList());
    assertEquals(
        2,
        db.count(
            "SELECT COUNT(*) FROM keys.fact_show_daily f JOIN keys.dim_show s USING (show_id)"
                + " JOIN keys.bridge_show_genre b USING (show_id) JOIN keys.dim_genre g USING"
                + " (genre_id)"));
    java.sql.SQLException e =
        assertThrows(
            java.sql.SQLException.class,
            () -> db.execute("INSERT INTO keys.bridge_show_genre VALUES (1, 12345, 3)"));
    assertEquals("PostgreSQL enforces the keys", "23503", e.getSQLState());
  }

  @Test
  public void redshiftStatementsUseThePortableSubsetAndTheStarsDistribution() {
    StarSql rs = new StarSql(Dialect.REDSHIFT, "trendlake", ShowStar.INSTANCE);
    String fact = new StarDdl(rs).createTable(ShowStar.FACT_SHOW_DAILY);
    assertThat(fact, containsString("PRIMARY KEY (data_type, show_id, date_key)"));
    assertThat(fact, containsString("popularity DOUBLE PRECISION NOT NULL"));
    assertThat(fact, containsString("ingestion_date DATE NOT NULL"));
    assertThat(fact, containsString("DISTKEY (show_id)"));
    assertThat(fact, containsString("COMPOUND SORTKEY (date_key, data_type)"));
    assertThat(new StarDdl(rs).createTable(ShowStar.DIM_GENRE), containsString("DISTSTYLE ALL"));
    assertThat(
        new StarDdl(rs).createTable(ShowStar.BRIDGE_SHOW_GENRE),
        containsString("PRIMARY KEY (show_id, position)"));
    assertThat(
        new StarDdl(new StarSql(Dialect.POSTGRES, "trendlake", ShowStar.INSTANCE))
            .createTable(fact()),
        containsString("popularity double precision NOT NULL"));
    StarSchema.RunTables r = rs.runTables("r1");
    for (String merge : new MergeSql(rs).merges(r)) {
      assertThat(merge, not(containsString("WHEN MATCHED AND")));
      assertThat(merge, not(containsString("(SELECT")));
      assertThat(merge, containsString("WHEN NOT MATCHED THEN INSERT"));
    }
    for (String sql : new SourceSql(rs).fillSources(r)) {
      assertThat("no PostgreSQL-only syntax on Redshift", sql, not(containsString("COLLATE")));
      assertThat(sql, not(containsString("ctid")));
    }
    for (String t : r.all()) {
      assertTrue(t, Sql.isIdentifier(t));
    }
    assertEquals(
        "the staged genres are removed with their batch on a retry",
        3,
        new StagingSql(rs).deleteBatches(r, 1).size());
    for (StarSchema.ForeignKey fk : ShowStar.FOREIGN_KEYS) {
      assertTrue(
          fk.name() + " references a table loaded before it",
          ShowStar.MERGED.indexOf(fk.to()) < ShowStar.MERGED.indexOf(fk.from()));
      assertTrue(Sql.isIdentifier(fk.name()));
    }
    assertThrows(IllegalArgumentException.class, () -> new RedshiftCopy(rs));
    assertEquals(TmdbDataset.INSTANCE, Star.of(TmdbDataset.INSTANCE).orElseThrow().dataset());
  }

  private static StarSchema.Table fact() {
    return ShowStar.FACT_SHOW_DAILY;
  }
}
