package dev.trendlake.transforms.tmdb;

import static dev.trendlake.transforms.row.Col.Role.DATA;
import static dev.trendlake.transforms.row.Col.Role.LINEAGE;

import dev.trendlake.transforms.row.Col;
import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.row.RowSchema;

/**
 * The TMDB TV genres ({@code /genre/tv/list}), silver {@code silver/tmdb_genres/}: one row per
 * genre id, serving every list and day, so the table has no partition column.
 */
public final class GenreColumns {
  private GenreColumns() {}

  private static final RowSchema.Builder B = RowSchema.builder("tmdb_genres");

  public static final Col<Long> GENRE_ID = B.int64("genre_id", false, DATA);
  public static final Col<String> NAME = B.string("name", false, DATA);
  public static final Col<String> SOURCE_FILE = B.string("source_file", false, LINEAGE);

  public static final RowSchema SCHEMA = B.build();

  public static Row of(long id, String name, String sourceFile) {
    return SCHEMA.row().set(GENRE_ID, id).set(NAME, name).set(SOURCE_FILE, sourceFile).build(0);
  }
}
