package dev.trendlake.pipeline.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.trendlake.pipeline.io.Schemas;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.junit.Test;

/**
 * The generated Redshift SQL, checked against the gold Parquet schema (there is no Redshift here).
 */
public class StarSchemaTest {
  private final StarSql rs = new StarSql(Dialect.REDSHIFT, "trendlake");

  @Test
  public void goldLandingTableFollowsTheGoldParquetSchemaColumnByColumn() {
    String ddl = new RedshiftCopy(rs).createGoldLanding();
    Matcher m = Pattern.compile("\\((.*)\\)$").matcher(ddl);
    assertTrue(ddl, m.find());
    List<String> names = new ArrayList<>();
    List<String> types = new ArrayList<>();
    for (String col : m.group(1).split(", ")) {
      String[] p = col.split(" ", 2);
      names.add(p[0]);
      types.add(p[1]);
    }
    List<String> gold = Schemas.GOLD.getFields().stream().map(Schema.Field::name).toList();
    assertEquals(gold, names); // COPY ... FORMAT AS PARQUET maps by position
    for (int i = 0; i < gold.size(); i++) {
      Schema.Field f = Schemas.GOLD.getFields().get(i);
      String json = f.schema().toString();
      String expected =
          json.contains("timestamp-micros")
              ? "TIMESTAMP"
              : json.contains("\"array\"")
                  ? "SUPER"
                  : json.contains("\"long\"")
                      ? "BIGINT"
                      : json.contains("\"boolean\"") ? "BOOLEAN" : "VARCHAR";
      assertTrue(
          f.name() + " is " + types.get(i) + ", expected " + expected,
          types.get(i).startsWith(expected));
    }
    assertFalse(
        "partition columns are not in the files",
        names.contains("region") || names.contains("trending_date"));
  }

  @Test
  public void copyStatementReadsOnePartitionPrefixAsParquetWithTheRole() {
    String copy =
        RedshiftCopy.copyGoldPartition(
            "s3://my-lake/out/gold/trending/region=us/trending_date=2017-11-14/",
            "arn:aws:iam::123456789012:role/trendlake-copy");
    assertEquals(
        "COPY gold_landing FROM"
            + " 's3://my-lake/out/gold/trending/region=us/trending_date=2017-11-14/' IAM_ROLE"
            + " 'arn:aws:iam::123456789012:role/trendlake-copy' FORMAT AS PARQUET SERIALIZETOJSON",
        copy);
    assertThrows(
        IllegalArgumentException.class,
        () ->
            RedshiftCopy.copyGoldPartition(
                "s3://b/x'; DROP TABLE t; --", "arn:aws:iam::123456789012:role/r"));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            RedshiftCopy.copyGoldPartition(
                "s3://bucket/x/", "arn:aws:iam::123456789012:role/r' --"));
  }

  @Test
  public void landingToStagingSelectsGoldColumnsAndAddsThePartitionColumnsFromThePrefix() {
    String sql = new RedshiftCopy(rs).insertStageFromLanding(StarSchema.runTables("r1"));
    String select = sql.substring(sql.indexOf("SELECT ") + 7, sql.indexOf(" FROM gold_landing"));
    // one value per staging column; the three parameters are batch_id, region_code and date_key
    List<String> exprs = splitTopLevel(select);
    assertEquals(StarSchema.STAGE_FACT.size(), exprs.size());
    assertEquals(List.of("?", "?", "video_id", "?"), exprs.subList(0, 4));
    List<String> gold = Schemas.GOLD.getFields().stream().map(Schema.Field::name).toList();
    for (String e : exprs.subList(4, exprs.size())) {
      if (e.matches("[a-z_]+")) {
        assertTrue(e + " must be a gold column", gold.contains(e));
      }
    }
    assertEquals(ChannelKey.redshiftSql("channel_id", "channel_title"), exprs.get(5));
    assertTrue(
        gold.contains("channel_id") && gold.contains("channel_title") && gold.contains("tags"));
    assertThat(sql, containsString("JSON_SERIALIZE(tags)"));
  }

  private static List<String> splitTopLevel(String s) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    int start = 0;
    boolean quoted = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\'') {
        quoted = !quoted;
      } else if (!quoted && c == '(') {
        depth++;
      } else if (!quoted && c == ')') {
        depth--;
      } else if (!quoted && depth == 0 && c == ',') {
        out.add(s.substring(start, i).trim());
        start = i + 1;
      }
    }
    out.add(s.substring(start).trim());
    return out;
  }

  @Test
  public void redshiftDdlHasKeysAndDistributionAndTheFactPrimaryKey() {
    String fact = new StarDdl(rs).createTable(StarSchema.FACT);
    assertThat(fact, containsString("CREATE TABLE IF NOT EXISTS trendlake.fact_video_trending"));
    assertThat(fact, containsString("PRIMARY KEY (region_code, video_id, date_key)"));
    assertThat(fact, containsString("DISTKEY (video_id)"));
    assertThat(fact, containsString("COMPOUND SORTKEY (date_key, region_code)"));
    assertThat(fact, containsString("likes BIGINT,"));
    assertThat(fact, containsString("views BIGINT NOT NULL"));
    assertThat(
        new StarDdl(rs).createTable(StarSchema.DIM_VIDEO), containsString("DISTKEY (video_id)"));
    assertThat(new StarDdl(rs).createTable(StarSchema.DIM_DATE), containsString("DISTSTYLE ALL"));
    assertThat(
        new StarDdl(new StarSql(Dialect.POSTGRES, "trendlake")).createTable(StarSchema.FACT),
        not(containsString("DISTKEY")));
  }

  @Test
  public void foreignKeysAreDeclaredOnRedshiftToo() {
    StarKeys keys = new StarKeys(rs);
    assertEquals(
        "ALTER TABLE trendlake.fact_video_trending ADD CONSTRAINT fk_fact_category FOREIGN KEY"
            + " (region_code, category_id) REFERENCES trendlake.dim_category (region_code,"
            + " category_id)",
        keys.addForeignKey(StarSchema.FOREIGN_KEYS.get(3)));
    for (StarSchema.ForeignKey fk : StarSchema.FOREIGN_KEYS) {
      assertTrue(
          fk.name() + " references a table loaded before it",
          StarSchema.MERGED.indexOf(fk.to()) < StarSchema.MERGED.indexOf(fk.from()));
      assertTrue(fk.name(), fk.from().columnNames().containsAll(fk.columns()));
      assertEquals(fk.name(), fk.to().key().size(), fk.columns().size());
    }
    assertThat(
        new StarDdl(rs).createTable(StarSchema.FACT),
        containsString("CONSTRAINT fact_video_trending_pkey"));
  }

  @Test
  public void redshiftMergesUseThePortableSubset() {
    for (String merge : new MergeSql(rs).merges(StarSchema.runTables("r1"))) {
      assertThat(merge, not(containsString("WHEN MATCHED AND")));
      assertThat(merge, not(containsString("(SELECT")));
      assertThat(merge, not(containsString("IS DISTINCT FROM")));
      assertThat(merge, containsString("WHEN MATCHED THEN UPDATE SET"));
      assertThat(merge, containsString("WHEN NOT MATCHED THEN INSERT"));
    }
  }

  @Test
  public void namesReachingSqlAreValidated() {
    assertThrows(
        IllegalArgumentException.class, () -> new StarSql(Dialect.POSTGRES, "trendlake; drop"));
    assertThrows(IllegalArgumentException.class, () -> new StarSql(Dialect.POSTGRES, "Trendlake"));
    assertThrows(
        IllegalArgumentException.class, () -> new StarSql(Dialect.POSTGRES, "a".repeat(64)));
    assertTrue(Sql.isIdentifier("_a" + "b".repeat(61)));
    for (String t : StarSchema.runTables("any run id: with 'quotes' & spaces").all()) {
      assertTrue(t, Sql.isIdentifier(t));
    }
  }

  @Test
  public void channelKeyIsAStable60BitHash() {
    long k = ChannelKey.of("UCabc", "Some title");
    assertEquals(k, ChannelKey.of("UCabc", "Renamed"));
    assertEquals(ChannelKey.of(null, "T"), ChannelKey.of("", "T"));
    assertTrue(k > 0 && k < (1L << 60));
    assertEquals(Long.parseLong(ChannelKey.sha256Hex("id:UCabc").substring(0, 15), 16), k);
  }

  @Test
  public void urlsAndMessagesAreScrubbed() {
    assertEquals(
        "jdbc:redshift://wg.123.eu-west-1.redshift-serverless.amazonaws.com:5439/dev",
        Secrets.displayUrl(
            "jdbc:redshift://u:p@wg.123.eu-west-1.redshift-serverless.amazonaws.com"
                + ":5439/dev?password=x&ssl=true"));
    Secrets.remember("Hippo-Velvet-2207");
    assertEquals(
        "login failed for ****; password=****",
        Secrets.scrub("login failed for Hippo-Velvet-2207; password=abc"));
    WarehouseTarget t =
        new WarehouseTarget(
            Dialect.REDSHIFT,
            "jdbc:redshift://wg.example.com:5439/dev",
            "admin",
            "trendlake",
            null,
            WarehouseTarget.LoadMethod.JDBC,
            null,
            3,
            100);
    assertEquals("host wg.example.com:5439, database dev", t.describe());
  }
}
