package dev.trendlake.pipeline.warehouse;

import java.util.List;

/**
 * The table model every dataset's star is written in (tables, columns, keys, how each table is
 * merged, the Redshift physical design), and YouTube's star in it. No SQL text: {@link StarSql}
 * writes the statements of one {@link Dialect} from a {@link Star}, so a column is added here once
 * and every dialect's DDL, staging and MERGE follow. TMDB's star is {@link ShowStar}; {@link
 * Star#of} finds a dataset's.
 *
 * <p>YouTube's star:
 *
 * <pre>
 *                 dim_date(date_key)        dim_region(region_code)
 *                          \                   /
 *  dim_video(video_id) -- fact_video_trending(region_code, video_id, date_key) -- dim_channel(channel_key)
 *                                          |
 *                          dim_category(region_code, category_id)
 * </pre>
 *
 * <p>Every arrow is a declared foreign key ({@link #FOREIGN_KEYS}): enforced by PostgreSQL,
 * informational on Redshift (its planner uses them and trusts them), and true on both because the
 * load only ever adds dimension rows before the facts that need them. A fact whose category is
 * missing from its region's category file still joins: the load adds an inferred member {@code
 * (region_code, category_id, 'Unknown')} to dim_category, which a later category file replaces with
 * the real title. So BI tools can inner-join the star without losing fact rows.
 *
 * <p>Per-run tables ({@code stg_*}, {@code src_*}) carry a suffix derived from the run id, so
 * concurrent runs never share staging and a retried step of the same run finds its own.
 */
public final class StarSchema {
  private StarSchema() {}

  /** What a column holds; {@link Dialect#type} spells it for an engine. */
  public enum Kind {
    /** Short codes and ids: a bounded varchar on every engine. */
    VARCHAR,
    /** Free text: unbounded on PostgreSQL, {@code VARCHAR(length)} on Redshift. */
    TEXT,
    BIGINT,
    INTEGER,
    SMALLINT,
    BOOLEAN,
    TIMESTAMP,
    DATE,
    /** Measures with a fraction (TMDB's popularity, vote average): 64-bit floating point. */
    DOUBLE
  }

  /** A column: name, kind, length (VARCHAR and TEXT only), nullability. */
  public record Column(String name, Kind kind, int length, boolean nullable) {}

  /**
   * A table: its columns and primary key; how a MERGE treats an existing row ({@code updated}
   * columns are overwritten; with {@code latestWins} only by a row of the same or a later {@code
   * last_date_key}, so loading an older month never overwrites newer attributes); Redshift's
   * distribution ({@code distKey}, null for DISTSTYLE ALL) and sort key.
   */
  public record Table(
      String name,
      List<Column> columns,
      List<String> key,
      List<String> updated,
      boolean latestWins,
      String distKey,
      List<String> sortKey) {
    public List<String> columnNames() {
      return columns.stream().map(Column::name).toList();
    }

    /** This table distributed on {@code column} and sorted by {@code sort} (Redshift). */
    Table distributedBy(String column, List<String> sort) {
      return new Table(name, columns, key, updated, latestWins, column, sort);
    }
  }

  private static final List<String> NONE = List.of();

  /**
   * A table keyed by its first {@code keyColumns} columns, small enough for a copy on every
   * Redshift node (DISTSTYLE ALL), sorted by its key.
   */
  static Table table(
      String name, int keyColumns, List<Column> columns, List<String> updated, boolean latestWins) {
    List<String> key = columns.subList(0, keyColumns).stream().map(Column::name).toList();
    return new Table(name, columns, key, updated, latestWins, null, key);
  }

  static Column col(String name, Kind kind, boolean nullable) {
    return new Column(name, kind, 0, nullable);
  }

  static Column str(String name, Kind kind, int length, boolean nullable) {
    return new Column(name, kind, length, nullable);
  }

  static final int TEXT_LENGTH = 1024;
  static final int LONG_TEXT_LENGTH = 65535;

  private static final Column REGION_CODE = str("region_code", Kind.VARCHAR, 8, false);
  private static final Column VIDEO_ID = str("video_id", Kind.VARCHAR, 32, false);
  private static final Column CATEGORY_ID = col("category_id", Kind.BIGINT, false);
  private static final Column CHANNEL_KEY = col("channel_key", Kind.BIGINT, false);
  private static final Column CHANNEL_ID = str("channel_id", Kind.VARCHAR, 64, true);
  private static final Column CHANNEL_TITLE = str("channel_title", Kind.TEXT, TEXT_LENGTH, true);
  private static final Column TITLE = str("title", Kind.TEXT, TEXT_LENGTH, true);
  private static final Column PUBLISH_TIME = col("publish_time", Kind.TIMESTAMP, false);
  private static final Column TAGS = str("tags", Kind.TEXT, LONG_TEXT_LENGTH, true);
  static final Column DATE_KEY = col("date_key", Kind.INTEGER, false);
  static final Column LAST_DATE_KEY = col("last_date_key", Kind.INTEGER, false);

  /** The fact's measures and flags, in table order after the keys. */
  private static final List<Column> MEASURES =
      List.of(
          col("views", Kind.BIGINT, false),
          col("likes", Kind.BIGINT, true),
          col("dislikes", Kind.BIGINT, true),
          col("comment_count", Kind.BIGINT, true),
          col("comments_disabled", Kind.BOOLEAN, false),
          col("ratings_disabled", Kind.BOOLEAN, false),
          col("video_error_or_removed", Kind.BOOLEAN, true));

  public static final Table DIM_REGION = table("dim_region", 1, List.of(REGION_CODE), NONE, false);
  public static final Table DIM_CATEGORY =
      table(
          "dim_category",
          2,
          List.of(
              REGION_CODE,
              CATEGORY_ID,
              str("title", Kind.TEXT, 256, true),
              col("assignable", Kind.BOOLEAN, true)),
          List.of("title", "assignable"),
          false);
  public static final Table DIM_CHANNEL =
      table(
          "dim_channel",
          1,
          List.of(CHANNEL_KEY, CHANNEL_TITLE, CHANNEL_ID, LAST_DATE_KEY),
          List.of("channel_title", "channel_id"),
          true);
  public static final Table DIM_VIDEO =
      table(
              "dim_video",
              1,
              List.of(VIDEO_ID, TITLE, CHANNEL_KEY, CATEGORY_ID, PUBLISH_TIME, TAGS, LAST_DATE_KEY),
              List.of("title", "channel_key", "category_id", "publish_time", "tags"),
              true)
          .distributedBy("video_id", List.of("video_id"));
  public static final Table DIM_DATE =
      table(
          "dim_date",
          1,
          List.of(
              DATE_KEY,
              col("date", Kind.DATE, false),
              col("year", Kind.SMALLINT, false),
              col("month", Kind.SMALLINT, false),
              col("day", Kind.SMALLINT, false),
              col("day_of_week", Kind.SMALLINT, false),
              col("iso_week", Kind.SMALLINT, false)),
          List.of("date", "year", "month", "day", "day_of_week", "iso_week"),
          false);

  /**
   * One row per gold row. Primary key (region_code, video_id, date_key); a MERGE updates every
   * other column, so a re-run with corrected counts corrects the fact.
   */
  public static final Table FACT =
      new Table(
          "fact_video_trending",
          concat(List.of(REGION_CODE, VIDEO_ID, DATE_KEY, CATEGORY_ID, CHANNEL_KEY), MEASURES),
          List.of("region_code", "video_id", "date_key"),
          concat(
              List.of("category_id", "channel_key"), MEASURES.stream().map(Column::name).toList()),
          false,
          "video_id",
          List.of("date_key", "region_code"));

  /** Bookkeeping: one row per run whose load committed, so a retried final step is a no-op. */
  public static final Table LOAD_RUN =
      table(
          "load_run",
          1,
          List.of(
              str("run_id", Kind.VARCHAR, 64, false),
              col("loaded_at", Kind.TIMESTAMP, false),
              col("fact_rows", Kind.BIGINT, false)),
          NONE,
          false);

  /** A foreign key: {@code columns} of {@code from} reference the primary key of {@code to}. */
  public record ForeignKey(String name, Table from, List<String> columns, Table to) {}

  /** Every arrow of the star, named so that a load can find, drop and add each. */
  public static final List<ForeignKey> FOREIGN_KEYS =
      List.of(
          new ForeignKey("fk_category_region", DIM_CATEGORY, List.of("region_code"), DIM_REGION),
          new ForeignKey("fk_video_channel", DIM_VIDEO, List.of("channel_key"), DIM_CHANNEL),
          new ForeignKey("fk_fact_region", FACT, List.of("region_code"), DIM_REGION),
          new ForeignKey(
              "fk_fact_category", FACT, List.of("region_code", "category_id"), DIM_CATEGORY),
          new ForeignKey("fk_fact_channel", FACT, List.of("channel_key"), DIM_CHANNEL),
          new ForeignKey("fk_fact_video", FACT, List.of("video_id"), DIM_VIDEO),
          new ForeignKey("fk_fact_date", FACT, List.of("date_key"), DIM_DATE));

  /** The title of an inferred dim_category member: a category the facts use and no file names. */
  public static final String UNKNOWN_CATEGORY = "Unknown";

  /** Every table, referenced tables before those that refer to them. */
  public static final List<Table> TABLES =
      List.of(DIM_REGION, DIM_CATEGORY, DIM_CHANNEL, DIM_VIDEO, DIM_DATE, FACT, LOAD_RUN);

  /** The tables a load merges into, in load order: dimensions first, then the fact. */
  public static final List<Table> MERGED =
      List.of(DIM_REGION, DIM_CATEGORY, DIM_CHANNEL, DIM_VIDEO, DIM_DATE, FACT);

  /**
   * Staged facts: one row per gold row, the fact columns plus the attributes the dimensions need.
   */
  public static final List<Column> STAGE_FACT =
      concat(
          List.of(
              str("batch_id", Kind.VARCHAR, 64, false),
              REGION_CODE,
              VIDEO_ID,
              DATE_KEY,
              CATEGORY_ID,
              CHANNEL_KEY,
              CHANNEL_ID,
              CHANNEL_TITLE,
              TITLE,
              PUBLISH_TIME,
              TAGS),
          MEASURES);

  /**
   * One row per staged partition (the batch id), written in the same transaction as its rows: a
   * staging step looks here to learn whether an earlier attempt staged a partition (then it deletes
   * that attempt's rows first), so the large fact staging table needs no index; the merge reads the
   * run's regions and dates from it.
   */
  public static final List<Column> STAGE_BATCH =
      List.of(
          str("batch_id", Kind.VARCHAR, 64, false),
          REGION_CODE,
          DATE_KEY,
          col("rows", Kind.BIGINT, false));

  public static List<String> stageFactColumns() {
    return STAGE_FACT.stream().map(Column::name).toList();
  }

  static <T> List<T> concat(List<T> a, List<T> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }

  /**
   * The suffix of a run's staging tables: a hash of the run id, so any run id gives a valid name.
   */
  public static String runSuffix(String runId) {
    return ChannelKey.sha256Hex(runId).substring(0, 12);
  }

  /**
   * A star's per-run tables: the fact staging and batch tables, the star's other staged tables
   * ({@link Star#staged()}), and one source table per merged dimension ({@link Star#sources()}),
   * each named {@code <prefix>_<suffix>}.
   */
  public static final class RunTables {
    public final String stageFact;
    public final String stageBatch;
    private final Star star;
    private final String suffix;

    RunTables(Star star, String suffix) {
      this.star = star;
      this.suffix = suffix;
      stageFact = named(Star.STAGE_FACT);
      stageBatch = named(Star.STAGE_BATCH);
    }

    /** The run table of {@code prefix}: {@code stg_category} gives {@code stg_category_<h>}. */
    public String named(String prefix) {
      return prefix + "_" + suffix;
    }

    /** The tables the staging steps fill, keyed by batch id: the fact staging, then the others. */
    public List<String> staged() {
      List<String> out = new java.util.ArrayList<>(List.of(stageFact));
      star.staged().forEach(t -> out.add(named(t.prefix())));
      return out;
    }

    /** Every run table: staging, batch records, the other staged tables, then the sources. */
    public List<String> all() {
      List<String> out = new java.util.ArrayList<>(List.of(stageFact, stageBatch));
      star.staged().forEach(t -> out.add(named(t.prefix())));
      star.sources().forEach(src -> out.add(named(src.prefix())));
      return out;
    }

    /** The run table each merged table is merged from. */
    public String sourceOf(Table t) {
      if (t == star.fact()) {
        return stageFact;
      }
      for (Star.Source src : star.sources()) {
        if (src.table() == t) {
          return named(src.prefix());
        }
      }
      throw new IllegalArgumentException(t.name() + " is not merged from a run table");
    }
  }

  /** YouTube's run tables (the default dataset's). */
  public static RunTables runTables(String runId) {
    return runTables(YouTubeStar.INSTANCE, runId);
  }

  public static RunTables runTables(Star star, String runId) {
    return new RunTables(star, runSuffix(runId));
  }
}
