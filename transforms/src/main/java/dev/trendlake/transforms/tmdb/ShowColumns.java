package dev.trendlake.transforms.tmdb;

import static dev.trendlake.transforms.row.Col.Role.DATA;
import static dev.trendlake.transforms.row.Col.Role.JOINED;
import static dev.trendlake.transforms.row.Col.Role.LINEAGE;
import static dev.trendlake.transforms.row.Col.Role.PARTITION;

import dev.trendlake.transforms.row.Col;
import dev.trendlake.transforms.row.RowSchema;
import java.util.List;

/**
 * The TMDB shows table, defined once: silver has the columns of the system trendlake replaces
 * (show_id, title, original_title, popularity, vote_average, vote_count, first_air_date, genre_ids,
 * origin_country, poster_path, backdrop_path, overview, original_language, ingestion_date) plus
 * lineage; gold has the same without lineage, plus {@code genre_names} joined from the genres in
 * the order of {@code genre_ids} (null where the genre is unknown). One row per (data_type, dt,
 * show_id), partitioned by the list and the day the list was pulled.
 */
public final class ShowColumns {
  private ShowColumns() {}

  private static final RowSchema.Builder B = RowSchema.builder("tmdb_shows");

  /** Which TMDB list: {@code popular}, {@code trending} or {@code airing_today}. */
  public static final Col<String> DATA_TYPE = B.string("data_type", false, PARTITION);

  /** The day the list was pulled, from the bronze folder {@code dt=}. */
  public static final Col<Integer> DT = B.date("dt", false, PARTITION);

  public static final Col<Long> SHOW_ID = B.int64("show_id", false, DATA);
  public static final Col<String> TITLE = B.string("title", false, DATA);
  public static final Col<String> ORIGINAL_TITLE = B.string("original_title", true, DATA);
  public static final Col<Double> POPULARITY = B.float64("popularity", false, DATA);
  public static final Col<Double> VOTE_AVERAGE = B.float64("vote_average", false, DATA);
  public static final Col<Long> VOTE_COUNT = B.int64("vote_count", false, DATA);
  public static final Col<Integer> FIRST_AIR_DATE = B.date("first_air_date", true, DATA);
  public static final Col<List<Long>> GENRE_IDS = B.int64List("genre_ids", DATA);
  public static final Col<List<String>> ORIGIN_COUNTRY = B.stringList("origin_country", DATA);
  public static final Col<String> POSTER_PATH = B.string("poster_path", true, DATA);
  public static final Col<String> BACKDROP_PATH = B.string("backdrop_path", true, DATA);
  public static final Col<String> OVERVIEW = B.string("overview", true, DATA);
  public static final Col<String> ORIGINAL_LANGUAGE = B.string("original_language", true, DATA);

  /** The day the list was ingested: {@code _metadata.ingestion_timestamp}'s date, else dt. */
  public static final Col<Integer> INGESTION_DATE = B.date("ingestion_date", false, DATA);

  public static final Col<List<String>> GENRE_NAMES = B.stringListWithNulls("genre_names", JOINED);
  public static final Col<String> SOURCE_FILE = B.string("source_file", false, LINEAGE);

  /** The line (counted from one) of the file on which the show's JSON object starts. */
  public static final Col<Long> SOURCE_LINE = B.int64("source_line", false, LINEAGE);

  public static final RowSchema SCHEMA = B.plain(SHOW_ID, POSTER_PATH, BACKDROP_PATH).build();
}
