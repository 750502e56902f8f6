package dev.trendlake.pipeline.warehouse;

import static dev.trendlake.transforms.youtube.TrendingColumns.*;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.trendlake.testkit.SyntheticGold;
import dev.trendlake.testkit.TestWarehouse;
import dev.trendlake.transforms.row.Partition;
import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.youtube.CategoryColumns;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/** The load steps against a real PostgreSQL 17: retries, idempotency, updates. */
public class WarehouseLoaderTest {
  private static TestWarehouse db;

  @BeforeClass
  public static void start() throws Exception {
    db = new TestWarehouse();
  }

  @AfterClass
  public static void stop() throws Exception {
    db.close();
  }

  private static final List<Row> CATEGORIES =
      List.of(
          CategoryColumns.of("us", 10, "Music", true, null, "US.json"),
          CategoryColumns.of("gb", 10, "Music", null, null, "GB.json"));

  private static long load(WarehouseTarget t, String runId, List<Partition> parts) {
    try (WarehouseLoader l = new WarehouseLoader(t, runId)) {
      l.prepare();
      long n = l.stage(parts);
      return l.merge(n, CATEGORIES, List.of()).merged().getOrDefault("fact_video_trending", -1L);
    }
  }

  private static long rows(List<Partition> parts) {
    return parts.stream().mapToLong(p -> p.rows().size()).sum();
  }

  private static WarehouseTarget target(String schema) {
    return new WarehousePlan(
            "jdbc", db.url(), "postgres", schema, null, WarehouseTarget.LoadMethod.JDBC, null, 5)
        .target(null);
  }

  private static Partition partition(int epochDay, Row... rows) {
    return new Partition(
        "region=us/trending_date=" + java.time.LocalDate.ofEpochDay(epochDay), "us", List.of(rows));
  }

  @Test
  public void aConnectionKilledMidLoadIsRetriedAndTheResultIsExact() throws Exception {
    WarehouseTarget t = target("killed");
    List<Partition> parts = SyntheticGold.partitions(3000, 100);
    AtomicInteger kills = new AtomicInteger();
    AtomicInteger calls = new AtomicInteger();
    WarehouseLoader.Hook killOnce =
        (step, c) -> {
          calls.incrementAndGet();
          // first time in each of stage and merge: terminate the loader's backend just before its
          // commit
          if ((step.equals("stage") && kills.get() == 0)
              || (step.equals("merge") && kills.get() == 1)) {
            try (Connection admin = db.admin();
                Statement s = admin.createStatement();
                ResultSet rs =
                    s.executeQuery(
                        "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE"
                            + " application_name = 'trendlake' AND pid <> pg_backend_pid()")) {
              rs.next();
              assertEquals(1, rs.getLong(1));
            }
            kills.incrementAndGet();
          }
        };
    try (WarehouseLoader l = new WarehouseLoader(t, "run-killed").withHook(killOnce)) {
      l.prepare();
      long staged = l.stage(parts.subList(0, 15)) + l.stage(parts.subList(15, parts.size()));
      assertEquals(rows(parts), staged);
      WarehouseLoader.MergeResult r = l.merge(staged, CATEGORIES, List.of());
      assertEquals(rows(parts), (long) r.merged().get("fact_video_trending"));
    }
    assertEquals(2, kills.get());
    assertThat(
        calls.get(), greaterThanOrEqualTo(6)); // prepare, 2 stages + 1 retry, merge + 1 retry
    assertEquals(rows(parts), db.count("SELECT COUNT(*) FROM killed.fact_video_trending"));
    assertEquals(
        db.count(
            "SELECT COUNT(*) FROM (SELECT DISTINCT region_code, video_id, date_key FROM"
                + " killed.fact_video_trending) x"),
        db.count("SELECT COUNT(*) FROM killed.fact_video_trending"));
    assertEquals(
        db.count("SELECT COUNT(DISTINCT video_id) FROM killed.fact_video_trending"),
        db.count("SELECT COUNT(*) FROM killed.dim_video"));
  }

  @Test
  public void aRetriedBundleAndARepeatedRunNeverDuplicate() throws Exception {
    WarehouseTarget t = target("retried");
    List<Partition> parts = SyntheticGold.partitions(2000, 100);
    try (WarehouseLoader l = new WarehouseLoader(t, "run-1")) {
      l.prepare();
      l.stage(parts.subList(0, 10));
      l.stage(
          parts.subList(
              5, 20)); // a retried bundle overlapping the first: its partitions are replaced
      long staged = db.count("SELECT COUNT(*) FROM retried." + l.runTables().stageFact);
      assertEquals(rows(parts), staged);
      l.merge(staged, CATEGORIES, List.of());
      // the final step retried after its commit: a no-op
      assertTrue(l.merge(staged, CATEGORIES, List.of()).alreadyLoaded());
    }
    assertEquals(0L, load(t, "run-2", parts)); // same data again: nothing changes on PostgreSQL
    assertEquals(rows(parts), db.count("SELECT COUNT(*) FROM retried.fact_video_trending"));
    assertEquals(
        2, db.count("SELECT COUNT(*) FROM retried.dim_region WHERE region_code IN ('us', 'gb')"));
    assertEquals(2, db.count("SELECT COUNT(*) FROM retried.dim_category WHERE title = 'Music'"));
    assertEquals(
        "one row per category the facts use: the two known ones and an inferred member for each"
            + " other",
        db.count(
            "SELECT COUNT(*) FROM (SELECT DISTINCT region_code, category_id FROM"
                + " retried.fact_video_trending) x"),
        db.count("SELECT COUNT(*) FROM retried.dim_category"));
  }

  @Test
  public void anUpdatedStatisticsRowIsUpdatedNotDuplicated() throws Exception {
    WarehouseTarget t = target("updated");
    SplittableRandom rnd = new SplittableRandom(1);
    Row a = SyntheticGold.row("us", 17484, "vid1", 1, rnd);
    Row b = SyntheticGold.row("us", 17484, "vid2", 2, rnd);
    load(t, "u1", List.of(partition(17484, a, b)));
    Row a2 =
        a.with(TITLE, "New title")
            .with(VIEWS, 999_999L)
            .with(LIKES, null)
            .with(DISLIKES, 5L)
            .with(COMMENT_COUNT, 6L)
            .with(RATINGS_DISABLED, true)
            .with(VIDEO_ERROR_OR_REMOVED, Boolean.TRUE);
    assertEquals(1L, load(t, "u2", List.of(partition(17484, a2, b))));
    assertEquals(2, db.count("SELECT COUNT(*) FROM updated.fact_video_trending"));
    assertEquals(
        java.util.Arrays.asList("999999", null, "5", "6", "t", "t"),
        db.rows(
                "SELECT views, likes, dislikes, comment_count, ratings_disabled,"
                    + " video_error_or_removed FROM updated.fact_video_trending WHERE video_id ="
                    + " 'vid1'")
            .get(0));
    assertEquals(
        "New title", db.one("SELECT title FROM updated.dim_video WHERE video_id = 'vid1'"));

    // an older day never overwrites the latest attributes of a video
    Row older =
        a.with(TRENDING_DATE, 17480)
            .with(TITLE, "Old title")
            .with(VIEWS, 10L)
            .with(LIKES, 1L)
            .with(DISLIKES, 1L)
            .with(COMMENT_COUNT, 1L)
            .with(COMMENTS_DISABLED, false)
            .with(RATINGS_DISABLED, false)
            .with(VIDEO_ERROR_OR_REMOVED, null);
    load(t, "u3", List.of(partition(17480, older)));
    assertEquals(3, db.count("SELECT COUNT(*) FROM updated.fact_video_trending"));
    assertEquals(1, db.count("SELECT COUNT(*) FROM updated.dim_video WHERE video_id = 'vid1'"));
    assertEquals(
        "New title", db.one("SELECT title FROM updated.dim_video WHERE video_id = 'vid1'"));
    assertEquals(
        List.of("20171114", "20171110"),
        db.rows("SELECT date_key FROM updated.dim_date ORDER BY date_key DESC").stream()
            .map(r -> r.get(0))
            .toList());
  }

  @Test
  public void stagingMismatchFailsWithoutMerging() throws Exception {
    WarehouseTarget t = target("mismatch");
    List<Partition> parts = SyntheticGold.partitions(300, 100);
    try (WarehouseLoader l = new WarehouseLoader(t, "m1")) {
      l.prepare();
      l.stage(parts);
      WarehouseException e =
          assertThrows(
              WarehouseException.class, () -> l.merge(rows(parts) + 1, CATEGORIES, List.of()));
      assertThat(e.getMessage(), containsString("holds 300 rows but the run staged 301"));
      assertThat(e.getMessage(), containsString("database postgres"));
    }
    assertEquals(0, db.count("SELECT COUNT(*) FROM mismatch.fact_video_trending"));
  }

  @Test
  public void copyProtocolAndBatchedInsertsStageTheSameRows() throws Exception {
    List<Partition> parts = SyntheticGold.partitions(500, 50);
    List<String> results = new ArrayList<>();
    for (WarehouseLoader.StageMethod m : WarehouseLoader.StageMethod.values()) {
      String schema = "same_" + m.name().toLowerCase();
      try (WarehouseLoader l = new WarehouseLoader(target(schema), "s-" + m).withStageMethod(m)) {
        l.prepare();
        l.merge(l.stage(parts), CATEGORIES, List.of());
      }
      results.add(
          db.digest("SELECT * FROM " + schema + ".fact_video_trending")
              + db.digest("SELECT * FROM " + schema + ".dim_video"));
    }
    assertEquals(results.get(0), results.get(1));
    assertEquals(
        "[\"tag1\",\"tag|1\",\"ünï\\\\cödé\"]",
        db.one("SELECT tags FROM same_copy_protocol.dim_video WHERE video_id = 'v1u'"));
    assertEquals(
        "Video v1u \"quoted\"\ttab\nline",
        db.one("SELECT title FROM same_copy_protocol.dim_video WHERE video_id = 'v1u'"));
  }

  /** Every table but load_run, as one hash: equal hashes, equal stars. */
  private static String content(String schema) throws Exception {
    StringBuilder all = new StringBuilder();
    for (StarSchema.Table t : StarSchema.MERGED) {
      all.append(db.digest("SELECT * FROM " + schema + "." + t.name()));
    }
    return all.toString();
  }

  @Test
  public void aFirstLoadIntoAnEmptyStarEqualsMergingIntoALoadedOne() throws Exception {
    List<Partition> parts = SyntheticGold.partitions(4000, 100);
    load(target("bulk"), "all-at-once", parts);
    load(target("merged"), "first-part", parts.subList(0, 12));
    load(target("merged"), "everything", parts);
    assertEquals(content("bulk"), content("merged"));
    assertEquals(rows(parts), db.count("SELECT COUNT(*) FROM merged.fact_video_trending"));
  }

  @Test
  public void foreignKeysAreDeclaredEnforcedAndEveryFactJoinsItsDimensions() throws Exception {
    WarehouseTarget t = target("star");
    List<Partition> parts = SyntheticGold.partitions(2000, 100);
    load(t, "k1", parts);
    assertEquals(
        StarSchema.FOREIGN_KEYS.stream().map(StarSchema.ForeignKey::name).sorted().toList(),
        db
            .rows(
                "SELECT constraint_name FROM information_schema.table_constraints WHERE"
                    + " table_schema = 'star' AND constraint_type = 'FOREIGN KEY' ORDER BY 1")
            .stream()
            .map(r -> r.get(0))
            .toList());
    String innerJoins =
        "SELECT COUNT(*) FROM star.fact_video_trending f"
            + " JOIN star.dim_category c USING (region_code, category_id)"
            + " JOIN star.dim_video v USING (video_id)"
            + " JOIN star.dim_channel ch ON ch.channel_key = f.channel_key"
            + " JOIN star.dim_date d USING (date_key) JOIN star.dim_region r USING (region_code)";
    assertEquals("an inner join keeps every fact row", rows(parts), db.count(innerJoins));
    assertEquals(
        "the facts of the two known categories keep their titles",
        db.count(
            "SELECT COUNT(*) FROM star.fact_video_trending WHERE category_id = 10 AND region_code"
                + " IN ('us', 'gb')"),
        db.count(
            "SELECT COUNT(*) FROM star.fact_video_trending f JOIN star.dim_category c USING"
                + " (region_code, category_id) WHERE c.title = 'Music'"));
    assertThat(
        db.count("SELECT COUNT(*) FROM star.dim_category WHERE title = 'Unknown'"),
        org.hamcrest.Matchers.greaterThan(0L));
    java.sql.SQLException e =
        assertThrows(
            java.sql.SQLException.class,
            () ->
                db.execute(
                    "INSERT INTO star.fact_video_trending SELECT region_code, 'no-such-video',"
                        + " date_key, category_id, channel_key, views, likes, dislikes,"
                        + " comment_count, comments_disabled, ratings_disabled,"
                        + " video_error_or_removed FROM star.fact_video_trending LIMIT 1"));
    assertEquals("PostgreSQL enforces the keys", "23503", e.getSQLState());

    // a later category file names an inferred category: its real title replaces 'Unknown'
    Row film = CategoryColumns.of("us", 11, "Film", true, null, "US.json");
    try (WarehouseLoader l = new WarehouseLoader(t, "k2")) {
      l.prepare();
      l.merge(l.stage(parts.subList(0, 1)), List.of(film), List.of());
    }
    assertEquals(
        List.of(List.of("Film", "true")),
        db.rows(
            "SELECT title, assignable::text FROM star.dim_category WHERE region_code = 'us' AND"
                + " category_id = 11"));
    assertEquals(rows(parts), db.count(innerJoins));
  }

  @Test
  public void aStarLoadedBeforeItsForeignKeysGetsThemAndItsUnknownCategories() throws Exception {
    WarehouseTarget t = target("older");
    List<Partition> parts = SyntheticGold.partitions(1000, 100);
    load(t, "o1", parts);
    // as an earlier version left it: no foreign keys, no inferred members
    for (StarSchema.ForeignKey fk : StarSchema.FOREIGN_KEYS) {
      db.execute("ALTER TABLE older." + fk.from().name() + " DROP CONSTRAINT " + fk.name());
    }
    db.execute("DELETE FROM older.dim_category WHERE title = 'Unknown'");
    long known = db.count("SELECT COUNT(*) FROM older.dim_category");
    try (WarehouseLoader l = new WarehouseLoader(t, "o2")) {
      l.prepare();
    }
    assertEquals(
        StarSchema.FOREIGN_KEYS.size(),
        db.count(
            "SELECT COUNT(*) FROM information_schema.table_constraints WHERE table_schema ="
                + " 'older' AND constraint_type = 'FOREIGN KEY'"));
    assertThat(
        db.count("SELECT COUNT(*) FROM older.dim_category"),
        org.hamcrest.Matchers.greaterThan(known));
    assertEquals(
        rows(parts),
        db.count(
            "SELECT COUNT(*) FROM older.fact_video_trending JOIN older.dim_category USING"
                + " (region_code, category_id)"));
  }
}
