package dev.trendlake.runners;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

import dev.trendlake.testkit.TestWarehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The warehouse of incremental runs equals the warehouse of one full run: every star table after
 * the arrival batches of {@link IncrementalRunTest} (a late file that rewrites a loaded partition,
 * a cross-batch duplicate whose better copy comes last), and the fact table after a processed file
 * is retracted with {@code --reprocess=changed}.
 */
public class IncrementalWarehouseTest {
  private static TestWarehouse db;

  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @BeforeClass
  public static void start() throws Exception {
    db = new TestWarehouse();
  }

  @AfterClass
  public static void stop() throws Exception {
    db.close();
  }

  private String[] into(String schema) {
    return new String[] {
      "--runner=DirectRunner",
      "--warehouse=" + db.url(),
      "--warehouseUser=postgres",
      "--warehouseSchema=" + schema
    };
  }

  /** A digest of each query's rows ({@code %s} is the schema). */
  private String star(String schema, List<String> queries) throws Exception {
    StringBuilder sb = new StringBuilder();
    for (String q : queries) {
      sb.append(q).append(": ").append(db.digest(String.format(q, schema))).append('\n');
    }
    return sb.toString();
  }

  private static final String FACTS = "SELECT * FROM %s.fact_video_trending";

  /**
   * Every star table, the video and channel dimensions without their attributes: those come from a
   * video's latest trending day, and when it trended that day in several regions, a full load takes
   * the first region's row while incremental loads take the one loaded last (docs/incremental.md,
   * "Known differences").
   */
  private static final List<String> STAR =
      List.of(
          "SELECT * FROM %s.dim_region",
          "SELECT * FROM %s.dim_category",
          "SELECT channel_key FROM %s.dim_channel",
          "SELECT video_id, channel_key, last_date_key FROM %s.dim_video",
          "SELECT * FROM %s.dim_date",
          FACTS);

  @Test
  public void batchesAndARetractionLeaveTheWarehouseOfAFullRun() throws Exception {
    Arrivals a = new Arrivals(TestRuns.bronze(), tmp.newFolder("bronze").toPath());
    Path inc =
        IncrementalRunTest.runBatches(a, tmp.newFolder("incremental").toPath(), into("inc_load"));
    Path full = tmp.newFolder("full").toPath();
    Arrivals.succeeded(a.run(full, concat(into("full_load"), "--mode=full")));
    Arrivals.assertSameLake("incremental vs full lake", full, inc);
    String expected = star("full_load", STAR);
    if (!expected.equals(star("inc_load", STAR))) {
      System.out.println(
          "DEBUG full " + db.rows("SELECT x::text FROM full_load.dim_video x ORDER BY 1"));
      System.out.println(
          "DEBUG inc " + db.rows("SELECT x::text FROM inc_load.dim_video x ORDER BY 1"));
    }
    assertEquals(expected, star("inc_load", STAR));

    // a processed file disappears: its facts leave with it, as its rows leave gold
    Files.delete(a.bronze.resolve(IncrementalRunTest.LATE));
    Arrivals.succeeded(a.run(inc, concat(into("inc_load"), "--reprocess=changed")));
    Path after = tmp.newFolder("full-after").toPath();
    Arrivals.succeeded(a.run(after, concat(into("full_after"), "--mode=full")));
    Arrivals.assertSameLake("retraction vs full lake", after, inc);
    List<String> facts = List.of(FACTS);
    assertNotEquals(star("full_load", facts), star("full_after", facts));
    assertEquals(star("full_after", facts), star("inc_load", facts));
  }

  private static String[] concat(String[] a, String b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + 1);
    out[a.length] = b;
    return out;
  }
}
