package dev.trendlake.pipeline.warehouse;

import dev.trendlake.pipeline.io.Schemas;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.StringJoiner;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * The star schema as data, and every SQL statement the load runs, generated for one {@link Dialect}
 * and one schema name. Nothing here touches a connection, so the Redshift statements are
 * unit-tested without a Redshift.
 *
 * <pre>
 *                 dim_date(date_key)        dim_region(region_code)
 *                          \                   /
 *  dim_video(video_id) -- fact_video_trending(region_code, video_id, date_key) -- dim_channel(channel_key)
 *                                          |
 *                          dim_category(region_code, category_id)
 * </pre>
 *
 * <p>Per-run tables ({@code stg_*}, {@code src_*}) carry a suffix derived from the run id, so
 * concurrent runs never share staging and a retried step of the same run finds its own.
 */
public final class StarSchema {

  /** A column: name, PostgreSQL type, Redshift type, nullability. */
  public record Column(String name, String pgType, String redshiftType, boolean nullable) {
    String type(Dialect d) {
      return d == Dialect.POSTGRES ? pgType : redshiftType;
    }
  }

  /** A table: name, columns, primary key, Redshift distribution and sort. */
  public record Table(
      String name,
      List<Column> columns,
      List<String> key,
      String redshiftDist,
      String redshiftSort) {
    public List<String> columnNames() {
      return columns.stream().map(Column::name).toList();
    }
  }

  private static Column c(String name, String pg, String rs, boolean nullable) {
    return new Column(name, pg, rs, nullable);
  }

  private static final String TEXT_RS = "VARCHAR(1024)";

  public static final Table DIM_REGION =
      new Table(
          "dim_region",
          List.of(c("region_code", "varchar(8)", "VARCHAR(8)", false)),
          List.of("region_code"),
          "DISTSTYLE ALL",
          "SORTKEY (region_code)");
  public static final Table DIM_CATEGORY =
      new Table(
          "dim_category",
          List.of(
              c("region_code", "varchar(8)", "VARCHAR(8)", false),
              c("category_id", "bigint", "BIGINT", false),
              c("title", "text", "VARCHAR(256)", true),
              c("assignable", "boolean", "BOOLEAN", true)),
          List.of("region_code", "category_id"),
          "DISTSTYLE ALL",
          "SORTKEY (region_code, category_id)");
  public static final Table DIM_CHANNEL =
      new Table(
          "dim_channel",
          List.of(
              c("channel_key", "bigint", "BIGINT", false),
              c("channel_title", "text", TEXT_RS, true),
              c("channel_id", "varchar(64)", "VARCHAR(64)", true),
              c("last_date_key", "integer", "INTEGER", false)),
          List.of("channel_key"),
          "DISTSTYLE ALL",
          "SORTKEY (channel_key)");
  public static final Table DIM_VIDEO =
      new Table(
          "dim_video",
          List.of(
              c("video_id", "varchar(32)", "VARCHAR(32)", false),
              c("title", "text", TEXT_RS, true),
              c("channel_key", "bigint", "BIGINT", false),
              c("category_id", "bigint", "BIGINT", false),
              c("publish_time", "timestamp", "TIMESTAMP", false),
              c("tags", "text", "VARCHAR(65535)", true),
              c("last_date_key", "integer", "INTEGER", false)),
          List.of("video_id"),
          "DISTKEY (video_id)",
          "SORTKEY (video_id)");
  public static final Table DIM_DATE =
      new Table(
          "dim_date",
          List.of(
              c("date_key", "integer", "INTEGER", false),
              c("date", "date", "DATE", false),
              c("year", "smallint", "SMALLINT", false),
              c("month", "smallint", "SMALLINT", false),
              c("day", "smallint", "SMALLINT", false),
              c("day_of_week", "smallint", "SMALLINT", false),
              c("iso_week", "smallint", "SMALLINT", false)),
          List.of("date_key"),
          "DISTSTYLE ALL",
          "SORTKEY (date_key)");
  public static final Table FACT =
      new Table(
          "fact_video_trending",
          List.of(
              c("region_code", "varchar(8)", "VARCHAR(8)", false),
              c("video_id", "varchar(32)", "VARCHAR(32)", false),
              c("date_key", "integer", "INTEGER", false),
              c("category_id", "bigint", "BIGINT", false),
              c("channel_key", "bigint", "BIGINT", false),
              c("views", "bigint", "BIGINT", false),
              c("likes", "bigint", "BIGINT", true),
              c("dislikes", "bigint", "BIGINT", true),
              c("comment_count", "bigint", "BIGINT", true),
              c("comments_disabled", "boolean", "BOOLEAN", false),
              c("ratings_disabled", "boolean", "BOOLEAN", false),
              c("video_error_or_removed", "boolean", "BOOLEAN", true)),
          List.of("region_code", "video_id", "date_key"),
          "DISTKEY (video_id)",
          "COMPOUND SORTKEY (date_key, region_code)");

  /** Bookkeeping: one row per run whose load committed, so a retried final step is a no-op. */
  public static final Table LOAD_RUN =
      new Table(
          "load_run",
          List.of(
              c("run_id", "varchar(64)", "VARCHAR(64)", false),
              c("loaded_at", "timestamp", "TIMESTAMP", false),
              c("fact_rows", "bigint", "BIGINT", false)),
          List.of("run_id"),
          "DISTSTYLE ALL",
          "SORTKEY (run_id)");

  public static final List<Table> TABLES =
      List.of(DIM_REGION, DIM_CATEGORY, DIM_CHANNEL, DIM_VIDEO, DIM_DATE, FACT, LOAD_RUN);

  /**
   * Staged facts: one row per gold row, the fact columns plus the attributes the dimensions need.
   */
  public static final List<Column> STAGE_FACT =
      List.of(
          c("batch_id", "varchar(64)", "VARCHAR(64)", false),
          c("region_code", "varchar(8)", "VARCHAR(8)", false),
          c("video_id", "varchar(32)", "VARCHAR(32)", false),
          c("date_key", "integer", "INTEGER", false),
          c("category_id", "bigint", "BIGINT", false),
          c("channel_key", "bigint", "BIGINT", false),
          c("channel_id", "varchar(64)", "VARCHAR(64)", true),
          c("channel_title", "text", TEXT_RS, true),
          c("title", "text", TEXT_RS, true),
          c("publish_time", "timestamp", "TIMESTAMP", false),
          c("tags", "text", "VARCHAR(65535)", true),
          c("views", "bigint", "BIGINT", false),
          c("likes", "bigint", "BIGINT", true),
          c("dislikes", "bigint", "BIGINT", true),
          c("comment_count", "bigint", "BIGINT", true),
          c("comments_disabled", "boolean", "BOOLEAN", false),
          c("ratings_disabled", "boolean", "BOOLEAN", false),
          c("video_error_or_removed", "boolean", "BOOLEAN", true));

  private final Dialect dialect;
  private final String schema;

  public StarSchema(Dialect dialect, String schema) {
    this.dialect = dialect;
    this.schema = Sql.identifier("--warehouseSchema", schema);
  }

  public Dialect dialect() {
    return dialect;
  }

  public String schema() {
    return schema;
  }

  public String q(String table) {
    return schema + "." + Sql.identifier("table", table);
  }

  /**
   * The suffix of a run's staging tables: a hash of the run id, so any run id gives a valid name.
   */
  public static String runSuffix(String runId) {
    return sha256Hex(runId).substring(0, 12);
  }

  public static final class RunTables {
    public final String stageFact;
    public final String stageCategory;
    public final String srcRegion;
    public final String srcChannel;
    public final String srcVideo;
    public final String srcDate;

    RunTables(String suffix) {
      stageFact = "stg_fact_" + suffix;
      stageCategory = "stg_category_" + suffix;
      srcRegion = "src_region_" + suffix;
      srcChannel = "src_channel_" + suffix;
      srcVideo = "src_video_" + suffix;
      srcDate = "src_date_" + suffix;
    }

    public List<String> all() {
      return List.of(stageFact, stageCategory, srcRegion, srcChannel, srcVideo, srcDate);
    }
  }

  public static RunTables runTables(String runId) {
    return new RunTables(runSuffix(runId));
  }

  // ---------------------------------------------------------------- DDL

  public String createSchema() {
    return "CREATE SCHEMA IF NOT EXISTS " + schema;
  }

  /** CREATE TABLE IF NOT EXISTS for a star-schema table, with DIST/SORT keys on Redshift. */
  public String createTable(Table t) {
    StringJoiner cols = new StringJoiner(",\n  ", "(\n  ", "");
    for (Column col : t.columns()) {
      cols.add(col.name() + " " + col.type(dialect) + (col.nullable() ? "" : " NOT NULL"));
    }
    cols.add("PRIMARY KEY (" + String.join(", ", t.key()) + ")");
    String sql = "CREATE TABLE IF NOT EXISTS " + q(t.name()) + " " + cols + "\n)";
    if (dialect == Dialect.REDSHIFT) {
      sql += "\n" + t.redshiftDist() + "\n" + t.redshiftSort();
    }
    return sql;
  }

  public List<String> createAll() {
    List<String> out = new ArrayList<>();
    out.add(createSchema());
    for (Table t : TABLES) {
      out.add(createTable(t));
    }
    return out;
  }

  private String createPlain(String name, List<Column> columns, String redshiftTail) {
    StringJoiner cols = new StringJoiner(", ", "(", ")");
    for (Column col : columns) {
      cols.add(col.name() + " " + col.type(dialect));
    }
    // PostgreSQL: UNLOGGED (no WAL) because staging is disposable: after a server crash it is
    // empty, the
    // staged-count check in the merge fails, and the next run stages again
    return (dialect == Dialect.POSTGRES ? "CREATE UNLOGGED TABLE " : "CREATE TABLE ")
        + q(name)
        + " "
        + cols
        + (dialect == Dialect.REDSHIFT ? " " + redshiftTail : "");
  }

  /** The per-run staging and source tables; dropped first so a reused run id starts clean. */
  public List<String> createRunTables(RunTables r) {
    List<String> out = new ArrayList<>();
    for (String t : r.all()) {
      out.add("DROP TABLE IF EXISTS " + q(t));
    }
    out.add(createPlain(r.stageFact, STAGE_FACT, "DISTKEY (video_id) SORTKEY (batch_id)"));
    if (dialect == Dialect.POSTGRES) {
      out.add("CREATE INDEX ON " + q(r.stageFact) + " (batch_id)");
    }
    out.add(createPlain(r.stageCategory, DIM_CATEGORY.columns(), "DISTSTYLE ALL"));
    out.add(createPlain(r.srcRegion, DIM_REGION.columns(), "DISTSTYLE ALL"));
    out.add(createPlain(r.srcChannel, DIM_CHANNEL.columns(), "DISTSTYLE ALL"));
    out.add(createPlain(r.srcVideo, DIM_VIDEO.columns(), "DISTKEY (video_id)"));
    out.add(createPlain(r.srcDate, DIM_DATE.columns(), "DISTSTYLE ALL"));
    return out;
  }

  public List<String> dropRunTables(RunTables r) {
    return r.all().stream().map(t -> "DROP TABLE IF EXISTS " + q(t)).toList();
  }

  // ---------------------------------------------------------------- staging

  public List<String> stageFactColumns() {
    return STAGE_FACT.stream().map(Column::name).toList();
  }

  /** PostgreSQL COPY protocol into the fact staging table (text format, \N for null). */
  public String copyStageFactFromStdin(RunTables r) {
    return "COPY " + q(r.stageFact) + " (" + String.join(", ", stageFactColumns()) + ") FROM STDIN";
  }

  public String insertStageFact(RunTables r) {
    return insertInto(r.stageFact, stageFactColumns());
  }

  public String insertInto(String table, List<String> columns) {
    StringJoiner marks = new StringJoiner(", ", "(", ")");
    columns.forEach(x -> marks.add("?"));
    return "INSERT INTO " + q(table) + " (" + String.join(", ", columns) + ") VALUES " + marks;
  }

  public String deleteBatches(RunTables r, int count) {
    StringJoiner marks = new StringJoiner(", ", "(", ")");
    for (int i = 0; i < count; i++) {
      marks.add("?");
    }
    return "DELETE FROM " + q(r.stageFact) + " WHERE batch_id IN " + marks;
  }

  // ---------------------------------------------------------------- Redshift COPY from gold
  // Parquet

  /** Name of the session temp table a Redshift COPY lands one gold partition in. */
  public static final String GOLD_LANDING = "gold_landing";

  /**
   * The Redshift type of a gold Parquet column. COPY maps Parquet columns to table columns by
   * position, so the landing table is generated from {@link Schemas#GOLD} itself.
   */
  public static String redshiftType(Schema.Field f) {
    Schema s = f.schema();
    if (s.getType() == Schema.Type.UNION) {
      s =
          s.getTypes().stream()
              .filter(x -> x.getType() != Schema.Type.NULL)
              .findFirst()
              .orElseThrow();
    }
    if (s.getLogicalType() instanceof LogicalTypes.TimestampMicros) {
      return "TIMESTAMP";
    }
    return switch (s.getType()) {
      case STRING -> f.name().equals("description") ? "VARCHAR(65535)" : TEXT_RS;
      case LONG -> "BIGINT";
      case INT -> "INTEGER";
      case BOOLEAN -> "BOOLEAN";
      case ARRAY -> "SUPER";
      default ->
          throw new IllegalStateException(
              "no Redshift type for gold column " + f.name() + ": " + s);
    };
  }

  /** CREATE TEMP TABLE shaped exactly like the gold Parquet files (no partition columns). */
  public String createGoldLanding() {
    StringJoiner cols = new StringJoiner(", ", "(", ")");
    for (Schema.Field f : Schemas.GOLD.getFields()) {
      cols.add(Sql.identifier("gold column", f.name()) + " " + redshiftType(f));
    }
    return "CREATE TEMP TABLE " + GOLD_LANDING + " " + cols;
  }

  /**
   * COPY of one gold partition prefix. The partition columns (region, trending_date) are not in the
   * files, only in the prefix, so each partition is copied on its own and they are added from the
   * prefix in {@link #insertStageFromLanding}. {@code SERIALIZETOJSON} lands the tags list in a
   * SUPER column.
   */
  public static String copyGoldPartition(String partitionPrefix, String roleArn) {
    return "COPY "
        + GOLD_LANDING
        + " FROM '"
        + Sql.s3Prefix(partitionPrefix)
        + "' IAM_ROLE '"
        + Sql.roleArn(roleArn)
        + "' FORMAT AS PARQUET SERIALIZETOJSON";
  }

  /**
   * Moves a landed partition into the fact staging table; parameters: batch_id, region, date_key.
   */
  public String insertStageFromLanding(RunTables r) {
    return "INSERT INTO "
        + q(r.stageFact)
        + " ("
        + String.join(", ", stageFactColumns())
        + ")\n"
        + "SELECT ?, ?, video_id, ?, category_id, "
        + channelKeySql("channel_id", "channel_title")
        + ", channel_id, channel_title, title, publish_time, JSON_SERIALIZE(tags), views, likes,"
        + " dislikes, comment_count, comments_disabled, ratings_disabled, video_error_or_removed"
        + " FROM "
        + GOLD_LANDING;
  }

  // ---------------------------------------------------------------- channel key

  /**
   * The channel's surrogate key: the first 60 bits (15 hex digits) of SHA-256 over {@code
   * "id:"+channel_id}, or {@code "title:"+channel_title} where the layout has no channel id. A hash
   * and not a sequence, so every worker computes it alone, every run and every runner gives the
   * same key, and SQL (Redshift's SHA2, for COPY loads) computes the same value as Java.
   */
  public static long channelKey(String channelId, String channelTitle) {
    String basis =
        channelId != null && !channelId.isEmpty()
            ? "id:" + channelId
            : "title:" + (channelTitle == null ? "" : channelTitle);
    return Long.parseLong(sha256Hex(basis).substring(0, 15), 16);
  }

  /** {@link #channelKey} in Redshift SQL. */
  static String channelKeySql(String idCol, String titleCol) {
    return "STRTOL(LEFT(SHA2(CASE WHEN "
        + idCol
        + " IS NOT NULL AND "
        + idCol
        + " <> '' THEN 'id:' || "
        + idCol
        + " ELSE 'title:' || COALESCE("
        + titleCol
        + ", '') END, 256), 15), 16)";
  }

  static String sha256Hex(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------- source tables and MERGE

  public String countStaged(RunTables r) {
    return "SELECT COUNT(*) FROM " + q(r.stageFact);
  }

  public String distinctStagedDates(RunTables r) {
    return "SELECT DISTINCT date_key FROM " + q(r.stageFact);
  }

  public List<String> fillSources(RunTables r) {
    String region =
        "INSERT INTO "
            + q(r.srcRegion)
            + " (region_code) SELECT region_code FROM "
            + q(r.stageFact)
            + " UNION SELECT region_code FROM "
            + q(r.stageCategory);
    String channel =
        "INSERT INTO "
            + q(r.srcChannel)
            + " (channel_key, channel_title, channel_id, last_date_key)\n"
            + "SELECT channel_key, channel_title, channel_id, date_key FROM (SELECT channel_key,"
            + " channel_title, channel_id, date_key, ROW_NUMBER() OVER (PARTITION BY channel_key"
            + " ORDER BY date_key DESC, region_code, video_id) AS rn FROM "
            + q(r.stageFact)
            + ") x WHERE rn = 1";
    String video =
        "INSERT INTO "
            + q(r.srcVideo)
            + " (video_id, title, channel_key, category_id, publish_time, tags, last_date_key)\n"
            + "SELECT video_id, title, channel_key, category_id, publish_time, tags, date_key FROM"
            + " (SELECT video_id, title, channel_key, category_id, publish_time, tags, date_key,"
            + " ROW_NUMBER() OVER (PARTITION BY video_id ORDER BY date_key DESC, region_code) AS rn"
            + " FROM "
            + q(r.stageFact)
            + ") x WHERE rn = 1";
    return List.of(region, channel, video);
  }

  /** One MERGE per table, in load order (dimensions first, then the fact). */
  public List<String> merges(RunTables r) {
    List<String> out = new ArrayList<>();
    out.add(merge(DIM_REGION, r.srcRegion, List.of(), false));
    out.add(merge(DIM_CATEGORY, r.stageCategory, List.of("title", "assignable"), false));
    out.add(merge(DIM_CHANNEL, r.srcChannel, List.of("channel_title", "channel_id"), true));
    out.add(
        merge(
            DIM_VIDEO,
            r.srcVideo,
            List.of("title", "channel_key", "category_id", "publish_time", "tags"),
            true));
    out.add(
        merge(
            DIM_DATE,
            r.srcDate,
            List.of("date", "year", "month", "day", "day_of_week", "iso_week"),
            false));
    out.add(
        merge(
            FACT,
            r.stageFact,
            List.of(
                "category_id",
                "channel_key",
                "views",
                "likes",
                "dislikes",
                "comment_count",
                "comments_disabled",
                "ratings_disabled",
                "video_error_or_removed"),
            false));
    return out;
  }

  /**
   * {@code MERGE INTO target USING source}: the portable subset of PostgreSQL 15+ and Redshift
   * (source is a table, target columns unqualified in SET). {@code latest}: the table keeps the
   * attributes of the most recent trending day ({@code last_date_key}), so a run over older data
   * never overwrites newer attributes. On PostgreSQL an unchanged row is not rewritten (so a
   * repeated run reports 0 rows merged); Redshift has no conditional WHEN MATCHED and rewrites
   * equal values.
   */
  String merge(Table t, String source, List<String> update, boolean latest) {
    String target = t.name();
    StringJoiner on = new StringJoiner(" AND ");
    for (String k : t.key()) {
      on.add(target + "." + k + " = src." + k);
    }
    List<String> sets = new ArrayList<>();
    for (String u : update) {
      String expr =
          latest
              ? "CASE WHEN src.last_date_key >= "
                  + target
                  + ".last_date_key THEN src."
                  + u
                  + " ELSE "
                  + target
                  + "."
                  + u
                  + " END"
              : "src." + u;
      sets.add(u + " = " + expr);
    }
    if (latest) {
      sets.add(
          "last_date_key = CASE WHEN src.last_date_key >= "
              + target
              + ".last_date_key THEN src.last_date_key ELSE "
              + target
              + ".last_date_key END");
    }
    StringBuilder sql =
        new StringBuilder("MERGE INTO " + q(target) + " USING " + q(source) + " AS src ON " + on);
    if (dialect == Dialect.POSTGRES) {
      if (!sets.isEmpty()) {
        StringJoiner changed = new StringJoiner(" OR ", "(", ")");
        for (String s : sets) {
          int eq = s.indexOf(" = ");
          changed.add(
              target
                  + "."
                  + s.substring(0, eq)
                  + " IS DISTINCT FROM ("
                  + s.substring(eq + 3)
                  + ")");
        }
        sql.append("\nWHEN MATCHED AND ")
            .append(changed)
            .append(" THEN UPDATE SET ")
            .append(String.join(", ", sets));
      }
    } else {
      if (sets.isEmpty()) {
        sets.add(t.key().get(0) + " = src." + t.key().get(0));
      }
      sql.append("\nWHEN MATCHED THEN UPDATE SET ").append(String.join(", ", sets));
    }
    List<String> cols = t.columnNames();
    sql.append("\nWHEN NOT MATCHED THEN INSERT (")
        .append(String.join(", ", cols))
        .append(") VALUES (")
        .append(String.join(", ", cols.stream().map(x -> "src." + x).toList()))
        .append(")");
    return sql.toString();
  }

  public String loadRunExists() {
    return "SELECT fact_rows FROM " + q(LOAD_RUN.name()) + " WHERE run_id = ?";
  }

  public String deleteLoadRun() {
    return "DELETE FROM " + q(LOAD_RUN.name()) + " WHERE run_id = ?";
  }

  public String insertLoadRun() {
    return "INSERT INTO " + q(LOAD_RUN.name()) + " (run_id, loaded_at, fact_rows) VALUES (?, ?, ?)";
  }
}
