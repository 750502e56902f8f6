package dev.trendlake.transforms.tmdb;

import dev.trendlake.transforms.Dataset;
import dev.trendlake.transforms.Rebuild;
import dev.trendlake.transforms.SideTable;
import dev.trendlake.transforms.row.Col;
import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.row.RowSchema;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * TMDB TV shows, the second dataset: the daily popular, trending and airing-today lists ({@code
 * raw_tmdb/shows/data_type=<list>/dt=<day>/*.json}) into {@code silver/tmdb_shows} and {@code
 * gold/tmdb_shows}, one row per (data_type, dt, show_id), counted per list; the TV genres ({@code
 * raw_tmdb/genres/*.json}) are the side input, joined by genre id into gold's {@code genre_names}.
 * Of duplicates (a show on two pages of one pull, or two pulls of a day) the one with the most
 * votes survives, then the first file and position; rows are written in show_id order.
 */
public final class TmdbDataset implements Dataset {
  private static final long serialVersionUID = 1L;

  public static final TmdbDataset INSTANCE = new TmdbDataset();

  /** The kind (and quarantine folder) of the show lists. */
  public static final String SHOWS = "tmdb_shows";

  /** The kind (and quarantine folder) of the genre lists. */
  public static final String GENRES = "tmdb_genres";

  private TmdbDataset() {}

  private Object readResolve() {
    return INSTANCE;
  }

  @Override
  public String name() {
    return "tmdb";
  }

  @Override
  public RowSchema schema() {
    return ShowColumns.SCHEMA;
  }

  @Override
  public Col<String> groupCol() {
    return ShowColumns.DATA_TYPE;
  }

  @Override
  public Col<String> sourceFile() {
    return ShowColumns.SOURCE_FILE;
  }

  @Override
  public Col<Long> sourceLine() {
    return ShowColumns.SOURCE_LINE;
  }

  @Override
  public String dedupeKey(Row row) {
    return Long.toString(row.get(ShowColumns.SHOW_ID));
  }

  @Override
  public int compareBest(Row a, Row b) {
    int c = Long.compare(b.get(ShowColumns.VOTE_COUNT), a.get(ShowColumns.VOTE_COUNT));
    if (c == 0) {
      c = a.get(ShowColumns.SOURCE_FILE).compareTo(b.get(ShowColumns.SOURCE_FILE));
    }
    if (c == 0) {
      c = Long.compare(a.get(ShowColumns.SOURCE_LINE), b.get(ShowColumns.SOURCE_LINE));
    }
    return c;
  }

  @Override
  public int compareOutput(Row a, Row b) {
    return Long.compare(a.get(ShowColumns.SHOW_ID), b.get(ShowColumns.SHOW_ID));
  }

  @Override
  public boolean joinMissed(Row row) {
    return row.get(ShowColumns.GENRE_NAMES).contains(null);
  }

  /** The day the list was pulled ({@code dt}), for the freshness rule. */
  @Override
  public int day(Row row) {
    return row.get(ShowColumns.DT);
  }

  /** Votes only accumulate: fewer for the same show in the same list the next day is suspect. */
  @Override
  public long growingMeasure(Row row) {
    return row.get(ShowColumns.VOTE_COUNT);
  }

  @Override
  public String mainFolder() {
    return "raw_tmdb/shows";
  }

  @Override
  public String mainExtension() {
    return "json";
  }

  @Override
  public String mainKind() {
    return SHOWS;
  }

  @Override
  public String silverTable() {
    return "silver/tmdb_shows";
  }

  @Override
  public String goldTable() {
    return "gold/tmdb_shows";
  }

  @Override
  public SideTable side() {
    return Genres.INSTANCE;
  }

  @Override
  public PTransform<PCollection<MatchResult.Metadata>, PCollectionTuple> readMain(
      String bronzeRoot, PCollectionView<Map<String, String>> side, Rebuild rebuild) {
    return new ReadShows(bronzeRoot, side, rebuild);
  }

  @Override
  public Row join(Row row, Map<String, String> side) {
    return joinGenres(row, side);
  }

  /**
   * The show with {@code genre_names}: each of its genre ids' name, in the same order, null where
   * the genres do not know the id (kept, counted as a join miss, never dropped).
   */
  static Row joinGenres(Row show, Map<String, String> names) {
    List<Long> ids = show.get(ShowColumns.GENRE_IDS);
    List<String> out = new ArrayList<>(ids.size());
    for (Long id : ids) {
      out.add(names.get(Long.toString(id)));
    }
    return show.with(
        ShowColumns.GENRE_NAMES, out.isEmpty() ? List.of() : Collections.unmodifiableList(out));
  }

  /** The TV genres, one list for every show list and day. */
  static final class Genres implements SideTable {
    private static final long serialVersionUID = 1L;
    static final Genres INSTANCE = new Genres();

    private Object readResolve() {
      return INSTANCE;
    }

    @Override
    public String kind() {
      return GENRES;
    }

    @Override
    public String folder() {
      return "raw_tmdb/genres";
    }

    @Override
    public String extension() {
      return "json";
    }

    @Override
    public String table() {
      return "silver/tmdb_genres";
    }

    @Override
    public RowSchema schema() {
      return GenreColumns.SCHEMA;
    }

    @Override
    public Col<String> sourceFile() {
      return GenreColumns.SOURCE_FILE;
    }

    @Override
    public String layout() {
      return "genre_tv_list";
    }

    @Override
    public String fileGroup(String path) {
      return ALL_GROUPS;
    }

    @Override
    public Parsed parse(String path, String group, byte[] bytes) {
      return GenreFiles.read(path, bytes);
    }

    @Override
    public String key(Row row) {
      return Long.toString(row.get(GenreColumns.GENRE_ID));
    }

    @Override
    public String value(Row row) {
      return row.get(GenreColumns.NAME);
    }

    @Override
    public String rowGroup(Row row) {
      return null;
    }

    @Override
    public int compareOutput(Row a, Row b) {
      return Long.compare(a.get(GenreColumns.GENRE_ID), b.get(GenreColumns.GENRE_ID));
    }
  }
}
