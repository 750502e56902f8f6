package dev.trendlake.pipeline.warehouse;

import dev.trendlake.pipeline.warehouse.StarSchema.Column;
import dev.trendlake.pipeline.warehouse.StarSchema.RunTables;
import dev.trendlake.pipeline.warehouse.StarSchema.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * Every SQL statement the load runs, written from the model ({@link StarSchema}) for one {@link
 * Dialect} and one schema name. Nothing here touches a connection, so the Redshift statements are
 * unit-tested without a Redshift. Names reach the text only through {@link Sql#identifier}.
 */
public final class StarSql {
  private final Dialect dialect;
  private final String schema;

  public StarSql(Dialect dialect, String schema) {
    this.dialect = dialect;
    this.schema = Sql.identifier("--warehouseSchema", schema);
  }

  public Dialect dialect() {
    return dialect;
  }

  public String schema() {
    return schema;
  }

  /** A table of the schema, qualified. */
  public String q(String table) {
    return schema + "." + Sql.identifier("table", table);
  }

  // ---------------------------------------------------------------- DDL

  public String createSchema() {
    return "CREATE SCHEMA IF NOT EXISTS " + schema;
  }

  /** CREATE TABLE IF NOT EXISTS for a star-schema table, with DIST/SORT keys on Redshift. */
  public String createTable(Table t) {
    StringJoiner cols = new StringJoiner(",\n  ", "(\n  ", "");
    for (Column col : t.columns()) {
      cols.add(col.name() + " " + dialect.type(col) + (col.nullable() ? "" : " NOT NULL"));
    }
    cols.add(primaryKey(t));
    String sql = "CREATE TABLE IF NOT EXISTS " + q(t.name()) + " " + cols + "\n)";
    if (dialect == Dialect.REDSHIFT) {
      sql +=
          "\n"
              + (t.distKey() == null ? "DISTSTYLE ALL" : "DISTKEY (" + t.distKey() + ")")
              + "\n"
              + (t.sortKey().size() > 1 ? "COMPOUND SORTKEY (" : "SORTKEY (")
              + String.join(", ", t.sortKey())
              + ")";
    }
    return sql;
  }

  /**
   * The primary key, named as PostgreSQL names an unnamed one ({@code <table>_pkey}), so tables
   * created before it was named carry the same name and a first load can drop and re-add it.
   */
  static String primaryKey(Table t) {
    return "CONSTRAINT " + t.name() + "_pkey PRIMARY KEY (" + String.join(", ", t.key()) + ")";
  }

  public List<String> createAll() {
    List<String> out = new ArrayList<>();
    out.add(createSchema());
    for (Table t : StarSchema.TABLES) {
      out.add(createTable(t));
    }
    return out;
  }

  private String createPlain(String name, List<Column> columns, String redshiftTail) {
    return createPlain(name, columns, null, redshiftTail);
  }

  /**
   * A run table; {@code pgKey}, when not null, its primary key on PostgreSQL (which enforces it).
   */
  private String createPlain(String name, List<Column> columns, String pgKey, String redshiftTail) {
    StringJoiner cols = new StringJoiner(", ", "(", ")");
    for (Column col : columns) {
      cols.add(col.name() + " " + dialect.type(col));
    }
    if (pgKey != null && dialect == Dialect.POSTGRES) {
      cols.add("PRIMARY KEY (" + pgKey + ")");
    }
    // PostgreSQL: UNLOGGED (no WAL) because staging is disposable: after a server crash it is
    // empty, the staged-count check in the merge fails, and the next run stages again
    return (dialect == Dialect.POSTGRES ? "CREATE UNLOGGED TABLE " : "CREATE TABLE ")
        + q(name)
        + " "
        + cols
        + (dialect == Dialect.REDSHIFT ? " " + redshiftTail : "");
  }

  /** The per-run staging and source tables; dropped first so a reused run id starts clean. */
  public List<String> createRunTables(RunTables r) {
    List<String> out = new ArrayList<>(dropRunTables(r));
    out.add(
        createPlain(r.stageFact, StarSchema.STAGE_FACT, "DISTKEY (video_id) SORTKEY (batch_id)"));
    // the key makes PostgreSQL refuse a second, concurrent staging of one partition (a zombie
    // bundle) instead of doubling its rows; the failed bundle's retry then replaces the first
    out.add(createPlain(r.stageBatch, StarSchema.STAGE_BATCH, "batch_id", "DISTSTYLE ALL"));
    out.add(createPlain(r.stageCategory, StarSchema.DIM_CATEGORY.columns(), "DISTSTYLE ALL"));
    out.add(createPlain(r.srcRegion, StarSchema.DIM_REGION.columns(), "DISTSTYLE ALL"));
    out.add(createPlain(r.srcChannel, StarSchema.DIM_CHANNEL.columns(), "DISTSTYLE ALL"));
    out.add(createPlain(r.srcVideo, StarSchema.DIM_VIDEO.columns(), "DISTKEY (video_id)"));
    out.add(createPlain(r.srcDate, StarSchema.DIM_DATE.columns(), "DISTSTYLE ALL"));
    return out;
  }

  public List<String> dropRunTables(RunTables r) {
    return r.all().stream().map(t -> "DROP TABLE IF EXISTS " + q(t)).toList();
  }

  // ---------------------------------------------------------------- staging

  /** PostgreSQL COPY protocol into the fact staging table (text format, \N for null). */
  public String copyStageFactFromStdin(RunTables r) {
    return "COPY "
        + q(r.stageFact)
        + " ("
        + String.join(", ", StarSchema.stageFactColumns())
        + ") FROM STDIN";
  }

  public String insertStageFact(RunTables r) {
    return insertInto(r.stageFact, StarSchema.stageFactColumns());
  }

  public String insertInto(String table, List<String> columns) {
    return "INSERT INTO "
        + q(table)
        + " ("
        + String.join(", ", columns)
        + ") VALUES "
        + marks(columns.size());
  }

  /** Which of {@code count} batch ids an earlier attempt has staged. */
  public String stagedBatches(RunTables r, int count) {
    return "SELECT batch_id FROM " + q(r.stageBatch) + " WHERE batch_id IN " + marks(count);
  }

  /** Removes what an earlier attempt staged of {@code count} batch ids: its rows, its record. */
  public List<String> deleteBatches(RunTables r, int count) {
    return List.of(
        "DELETE FROM " + q(r.stageFact) + " WHERE batch_id IN " + marks(count),
        "DELETE FROM " + q(r.stageBatch) + " WHERE batch_id IN " + marks(count));
  }

  public String insertBatch(RunTables r) {
    return insertInto(
        r.stageBatch, StarSchema.STAGE_BATCH.stream().map(StarSchema.Column::name).toList());
  }

  private static String marks(int count) {
    StringJoiner marks = new StringJoiner(", ", "(", ")");
    for (int i = 0; i < count; i++) {
      marks.add("?");
    }
    return marks.toString();
  }

  // ---------------------------------------------------------------- source tables and MERGE

  public String countStaged(RunTables r) {
    return "SELECT COUNT(*) FROM " + q(r.stageFact);
  }

  public String distinctStagedDates(RunTables r) {
    return "SELECT DISTINCT date_key FROM " + q(r.stageBatch);
  }

  /** Empties the source tables, so a retried merge fills them afresh. */
  public List<String> clearSources(RunTables r) {
    return r.all().stream()
        .filter(t -> !t.equals(r.stageFact) && !t.equals(r.stageBatch))
        .map(t -> "DELETE FROM " + q(t))
        .toList();
  }

  /**
   * Adds to the category source an inferred member ({@link StarSchema#UNKNOWN_CATEGORY}) for each
   * (region, category) the staged facts use that neither this run's categories nor dim_category
   * hold, so every fact row has its dimension row. A real category is never overwritten by it.
   */
  public String addUnknownCategories(RunTables r) {
    return "INSERT INTO "
        + q(r.stageCategory)
        + " (region_code, category_id, title, assignable)\nSELECT region_code, category_id, '"
        + StarSchema.UNKNOWN_CATEGORY
        + "', CAST(NULL AS BOOLEAN) FROM (SELECT DISTINCT region_code, category_id FROM "
        + q(r.stageFact)
        + ") f WHERE NOT EXISTS (SELECT 1 FROM "
        + q(r.stageCategory)
        + " c WHERE c.region_code = f.region_code AND c.category_id = f.category_id)"
        + " AND NOT EXISTS (SELECT 1 FROM "
        + q(StarSchema.DIM_CATEGORY.name())
        + " d WHERE d.region_code = f.region_code AND d.category_id = f.category_id)";
  }

  /**
   * Fills the deduplicated sources of region, channel and video from the staged facts: one row per
   * key, the attributes of its latest trending day.
   */
  public List<String> fillSources(RunTables r) {
    String region =
        "INSERT INTO "
            + q(r.srcRegion)
            + " (region_code) SELECT region_code FROM "
            + q(r.stageBatch)
            + " UNION SELECT region_code FROM "
            + q(r.stageCategory);
    return List.of(
        region,
        latestPerKey(r, r.srcChannel, StarSchema.DIM_CHANNEL, "region_code, video_id"),
        latestPerKey(r, r.srcVideo, StarSchema.DIM_VIDEO, "region_code"));
  }

  /**
   * The staged row of the latest day per key of {@code t}, ties broken by {@code tieBreak} (the
   * staged rows are unique by (region_code, video_id, date_key), so there is always one).
   *
   * <p>On PostgreSQL the sort picks row ids only ({@code DISTINCT ON} over narrow tuples), and the
   * winners are then fetched by id: sorting the whole wide rows cost most of the merge. Text is
   * compared byte by byte ({@code COLLATE "C"}), which is faster and the same order whatever the
   * database's locale. Redshift has neither row ids nor that collation, and sorts in parallel.
   */
  private String latestPerKey(RunTables r, String into, Table t, String tieBreak) {
    List<String> cols = t.columnNames();
    String attrs = String.join(", ", cols.subList(0, cols.size() - 1)) + ", date_key";
    String insert = "INSERT INTO " + q(into) + " (" + String.join(", ", cols) + ")\nSELECT ";
    String key = t.key().get(0);
    if (dialect == Dialect.POSTGRES) {
      String k = bytewise(key);
      return insert
          + attrs
          + " FROM "
          + q(r.stageFact)
          + " WHERE ctid = ANY (ARRAY(SELECT DISTINCT ON ("
          + k
          + ") ctid FROM "
          + q(r.stageFact)
          + " ORDER BY "
          + k
          + ", date_key DESC, "
          + String.join(
              ", ", java.util.Arrays.stream(tieBreak.split(", ")).map(StarSql::bytewise).toList())
          + "))";
    }
    return insert
        + attrs
        + " FROM (SELECT "
        + attrs
        + ", ROW_NUMBER() OVER (PARTITION BY "
        + key
        + " ORDER BY date_key DESC, "
        + tieBreak
        + ") AS rn FROM "
        + q(r.stageFact)
        + ") x WHERE rn = 1";
  }

  /** A staged column as PostgreSQL should sort it: text byte by byte, numbers as they are. */
  private static String bytewise(String column) {
    StarSchema.Kind kind =
        StarSchema.STAGE_FACT.stream()
            .filter(c -> c.name().equals(column))
            .findFirst()
            .orElseThrow()
            .kind();
    return kind == StarSchema.Kind.VARCHAR || kind == StarSchema.Kind.TEXT
        ? column + " COLLATE \"C\""
        : column;
  }

  /** One MERGE per merged table, in load order (dimensions first, then the fact). */
  public List<String> merges(RunTables r) {
    return StarSchema.MERGED.stream().map(t -> merge(t, r.sourceOf(t))).toList();
  }

  /**
   * {@code MERGE INTO target USING source}: the portable subset of PostgreSQL 15+ and Redshift
   * (source is a table, target columns unqualified in SET). With {@link Table#latestWins} the table
   * keeps the attributes of the most recent trending day ({@code last_date_key}), so a run over
   * older data never overwrites newer attributes. On PostgreSQL an unchanged row is not rewritten
   * (so a repeated run reports 0 rows merged); Redshift has no conditional WHEN MATCHED and
   * rewrites equal values.
   */
  public String merge(Table t, String source) {
    String target = t.name();
    StringJoiner on = new StringJoiner(" AND ");
    for (String k : t.key()) {
      on.add(target + "." + k + " = src." + k);
    }
    List<String> names = new ArrayList<>(t.updated());
    if (t.latestWins()) {
      names.add("last_date_key");
    }
    List<String> exprs = new ArrayList<>();
    for (String u : names) {
      exprs.add(
          t.latestWins()
              ? "CASE WHEN src.last_date_key >= "
                  + target
                  + ".last_date_key THEN src."
                  + u
                  + " ELSE "
                  + target
                  + "."
                  + u
                  + " END"
              : "src." + u);
    }
    List<String> sets = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      sets.add(names.get(i) + " = " + exprs.get(i));
    }
    StringBuilder sql =
        new StringBuilder("MERGE INTO " + q(target) + " USING " + q(source) + " AS src ON " + on);
    if (dialect == Dialect.POSTGRES) {
      if (!sets.isEmpty()) {
        StringJoiner changed = new StringJoiner(" OR ", "(", ")");
        for (int i = 0; i < names.size(); i++) {
          changed.add(target + "." + names.get(i) + " IS DISTINCT FROM (" + exprs.get(i) + ")");
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

  // ---------------------------------------------------------------- load_run

  public String loadRunExists() {
    return "SELECT fact_rows FROM " + q(StarSchema.LOAD_RUN.name()) + " WHERE run_id = ?";
  }

  /**
   * The facts of the staged partitions that the staged rows no longer hold: a partition the lake
   * rewrote is the whole truth for its (region, day), so a row it dropped (a retracted file, a
   * better duplicate from another video) leaves the warehouse too.
   */
  public String deleteReplacedFacts(String source) {
    String f = StarSchema.FACT.name();
    String same = "s.region_code = " + f + ".region_code AND s.date_key = " + f + ".date_key";
    return "DELETE FROM "
        + q(f)
        + " WHERE EXISTS (SELECT 1 FROM "
        + q(source)
        + " s WHERE "
        + same
        + ") AND NOT EXISTS (SELECT 1 FROM "
        + q(source)
        + " s WHERE "
        + same
        + " AND s.video_id = "
        + f
        + ".video_id)";
  }

  /** The facts of one (region, day) partition the lake removed. */
  public String deletePartitionFacts() {
    return "DELETE FROM " + q(StarSchema.FACT.name()) + " WHERE region_code = ? AND date_key = ?";
  }

  public String deleteLoadRun() {
    return "DELETE FROM " + q(StarSchema.LOAD_RUN.name()) + " WHERE run_id = ?";
  }

  public String insertLoadRun() {
    return insertInto(StarSchema.LOAD_RUN.name(), StarSchema.LOAD_RUN.columnNames());
  }
}
