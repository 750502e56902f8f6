package dev.trendlake.pipeline.warehouse;

import static dev.trendlake.pipeline.warehouse.StarSchema.col;
import static dev.trendlake.pipeline.warehouse.StarSchema.str;

import dev.trendlake.pipeline.warehouse.StarSchema.Column;
import dev.trendlake.pipeline.warehouse.StarSchema.ForeignKey;
import dev.trendlake.pipeline.warehouse.StarSchema.Kind;
import dev.trendlake.pipeline.warehouse.StarSchema.Table;
import dev.trendlake.transforms.Dataset;
import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.tmdb.GenreColumns;
import dev.trendlake.transforms.tmdb.ShowColumns;
import dev.trendlake.transforms.tmdb.TmdbDataset;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * TMDB's star, loaded from {@code gold/tmdb_shows} by the same loader as YouTube's:
 *
 * <pre>
 *  dim_genre(genre_id) ◄── bridge_show_genre(show_id, position; genre_id) ──► dim_show(show_id)
 *                                                                                ▲
 *                               fact_show_daily(data_type, show_id, date_key) ───┘
 * </pre>
 *
 * <ul>
 *   <li>{@code fact_show_daily}: one row per gold row, keyed by the list, the show and the day the
 *       list was pulled; its measures (popularity, vote average and count, how many genre ids the
 *       show had that day) and the day the list was ingested.
 *   <li>{@code dim_show}: the attributes of the show's latest day ({@code last_date_key}), ties
 *       between lists of one day broken by the list's name; {@code origin_country} as a JSON array
 *       text, as YouTube's tags.
 *   <li>{@code bridge_show_genre}: the genre ids of that same latest version, one row per entry,
 *       {@code position} counted from one in {@code genre_ids} order.
 *   <li>{@code dim_genre}: the TV genres; a genre id the shows use and no genre file names gets an
 *       inferred member named {@value #UNKNOWN_GENRE}, so an inner join keeps every row, and a
 *       later genre file that names it replaces the name.
 * </ul>
 *
 * Every arrow is a declared foreign key (informational on Redshift), true because the load adds
 * dimension rows before the rows that refer to them.
 */
public enum ShowStar implements Star {
  INSTANCE;

  /** The name of an inferred dim_genre member: a genre id the shows use and no file names. */
  public static final String UNKNOWN_GENRE = "Unknown";

  private static final Column BATCH_ID = str("batch_id", Kind.VARCHAR, 64, false);
  private static final Column DATA_TYPE = str("data_type", Kind.VARCHAR, 32, false);
  private static final Column SHOW_ID = col("show_id", Kind.BIGINT, false);
  private static final Column GENRE_ID = col("genre_id", Kind.BIGINT, false);
  private static final Column POSITION = col("position", Kind.INTEGER, false);

  /** The show's attributes, in dim_show's order after its key. */
  private static final List<Column> ATTRIBUTES =
      List.of(
          str("title", Kind.TEXT, StarSchema.TEXT_LENGTH, false),
          str("original_title", Kind.TEXT, StarSchema.TEXT_LENGTH, true),
          str("original_language", Kind.TEXT, 64, true),
          col("first_air_date", Kind.DATE, true),
          str("poster_path", Kind.TEXT, 256, true),
          str("backdrop_path", Kind.TEXT, 256, true),
          str("overview", Kind.TEXT, StarSchema.LONG_TEXT_LENGTH, true),
          str("origin_country", Kind.TEXT, 256, false));

  /** The fact's measures and load data, in table order after the key. */
  private static final List<Column> MEASURES =
      List.of(
          col("popularity", Kind.DOUBLE, false),
          col("vote_average", Kind.DOUBLE, false),
          col("vote_count", Kind.BIGINT, false),
          col("genre_count", Kind.INTEGER, false),
          col("ingestion_date", Kind.DATE, false));

  public static final Table DIM_GENRE =
      StarSchema.table(
          "dim_genre",
          1,
          List.of(GENRE_ID, str("name", Kind.TEXT, 256, false)),
          List.of("name"),
          false);

  public static final Table DIM_SHOW =
      StarSchema.table(
              "dim_show",
              1,
              StarSchema.concat(
                  StarSchema.concat(List.of(SHOW_ID), ATTRIBUTES),
                  List.of(StarSchema.LAST_DATE_KEY)),
              names(ATTRIBUTES),
              true)
          .distributedBy("show_id", List.of("show_id"));

  /** One row per genre id of a show's latest version; keyed by position, as an id may repeat. */
  public static final Table BRIDGE_SHOW_GENRE =
      new Table(
          "bridge_show_genre",
          List.of(SHOW_ID, GENRE_ID, POSITION),
          List.of("show_id", "position"),
          List.of("genre_id"),
          false,
          "show_id",
          List.of("show_id", "position"));

  /** One row per gold row; a MERGE updates the measures, so a corrected re-run corrects them. */
  public static final Table FACT_SHOW_DAILY =
      new Table(
          "fact_show_daily",
          StarSchema.concat(List.of(DATA_TYPE, SHOW_ID, StarSchema.DATE_KEY), MEASURES),
          List.of("data_type", "show_id", "date_key"),
          names(MEASURES),
          false,
          "show_id",
          List.of("date_key", "data_type"));

  public static final List<ForeignKey> FOREIGN_KEYS =
      List.of(
          new ForeignKey("fk_bridge_show", BRIDGE_SHOW_GENRE, List.of("show_id"), DIM_SHOW),
          new ForeignKey("fk_bridge_genre", BRIDGE_SHOW_GENRE, List.of("genre_id"), DIM_GENRE),
          new ForeignKey("fk_show_daily_show", FACT_SHOW_DAILY, List.of("show_id"), DIM_SHOW));

  /** The tables a load merges into, in load order. */
  public static final List<Table> MERGED =
      List.of(DIM_GENRE, DIM_SHOW, BRIDGE_SHOW_GENRE, FACT_SHOW_DAILY);

  private static final List<Table> TABLES = StarSchema.concat(MERGED, List.of(StarSchema.LOAD_RUN));

  /** Staged shows: one row per gold row, the fact's columns and the show's attributes. */
  public static final List<Column> STAGE_FACT =
      StarSchema.concat(
          StarSchema.concat(List.of(BATCH_ID, DATA_TYPE, SHOW_ID, StarSchema.DATE_KEY), MEASURES),
          ATTRIBUTES);

  private static final List<Column> STAGE_BATCH =
      List.of(BATCH_ID, DATA_TYPE, StarSchema.DATE_KEY, col("rows", Kind.BIGINT, false));

  /** Staged genre ids: one row per entry of each gold row's genre_ids. */
  private static final Staged STAGE_GENRES =
      new Staged(
          "stg_bridge",
          List.of(BATCH_ID, DATA_TYPE, SHOW_ID, StarSchema.DATE_KEY, GENRE_ID, POSITION),
          "DISTKEY (show_id) SORTKEY (batch_id)");

  private static final SideRows GENRES =
      new SideRows(DIM_GENRE, "stg_genre", STAGE_GENRES.prefix(), "name", UNKNOWN_GENRE);

  private static final Latest SHOWS = new Latest(DIM_SHOW, "src_show", "data_type");

  private static final List<Source> SOURCES =
      List.of(
          GENRES, SHOWS, new ListOf(BRIDGE_SHOW_GENRE, "src_bridge", SHOWS, STAGE_GENRES.prefix()));

  private static List<String> names(List<Column> columns) {
    return columns.stream().map(Column::name).toList();
  }

  @Override
  public Dataset dataset() {
    return TmdbDataset.INSTANCE;
  }

  @Override
  public List<Table> tables() {
    return TABLES;
  }

  @Override
  public List<Table> merged() {
    return MERGED;
  }

  @Override
  public List<ForeignKey> foreignKeys() {
    return FOREIGN_KEYS;
  }

  @Override
  public Table fact() {
    return FACT_SHOW_DAILY;
  }

  @Override
  public String groupColumn() {
    return "data_type";
  }

  @Override
  public String rowKey() {
    return "show_id";
  }

  @Override
  public List<Column> stageFact() {
    return STAGE_FACT;
  }

  @Override
  public List<Column> stageBatch() {
    return STAGE_BATCH;
  }

  @Override
  public List<Staged> staged() {
    return List.of(STAGE_GENRES);
  }

  @Override
  public List<Source> sources() {
    return SOURCES;
  }

  @Override
  public StageRows stageRows() {
    return Rows.INSTANCE;
  }

  @Override
  public Object[] sideValues(Row genre) {
    return new Object[] {genre.get(GenreColumns.GENRE_ID), genre.get(GenreColumns.NAME)};
  }

  @Override
  public String sampleQuery() {
    return "SELECT data_type, COUNT(DISTINCT show_id) AS shows, COUNT(*) AS show_days FROM"
        + " fact_show_daily GROUP BY data_type ORDER BY data_type";
  }

  /** A gold show row as staged rows: nothing to cache. */
  private enum Rows implements StageRows {
    INSTANCE;

    @Override
    public Object[] fact(String batchId, Row r) {
      Integer firstAired = r.get(ShowColumns.FIRST_AIR_DATE);
      return new Object[] {
        batchId,
        r.get(ShowColumns.DATA_TYPE),
        r.get(ShowColumns.SHOW_ID),
        StagedRow.dateKey(r.get(ShowColumns.DT)),
        r.get(ShowColumns.POPULARITY),
        r.get(ShowColumns.VOTE_AVERAGE),
        r.get(ShowColumns.VOTE_COUNT),
        r.get(ShowColumns.GENRE_IDS).size(),
        LocalDate.ofEpochDay(r.get(ShowColumns.INGESTION_DATE)),
        r.get(ShowColumns.TITLE),
        r.get(ShowColumns.ORIGINAL_TITLE),
        r.get(ShowColumns.ORIGINAL_LANGUAGE),
        firstAired == null ? null : LocalDate.ofEpochDay(firstAired),
        r.get(ShowColumns.POSTER_PATH),
        r.get(ShowColumns.BACKDROP_PATH),
        r.get(ShowColumns.OVERVIEW),
        StagedRow.jsonArray(r.get(ShowColumns.ORIGIN_COUNTRY))
      };
    }

    /** The show's genre ids, each with its position (from one). */
    @Override
    public List<Object[]> staged(int index, String batchId, Row r) {
      List<Long> ids = r.get(ShowColumns.GENRE_IDS);
      List<Object[]> out = new ArrayList<>(ids.size());
      for (int i = 0; i < ids.size(); i++) {
        out.add(
            new Object[] {
              batchId,
              r.get(ShowColumns.DATA_TYPE),
              r.get(ShowColumns.SHOW_ID),
              StagedRow.dateKey(r.get(ShowColumns.DT)),
              ids.get(i),
              i + 1
            });
      }
      return out;
    }
  }
}
