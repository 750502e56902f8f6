package dev.trendlake.transforms.model;

/**
 * Quarantine reason codes, in the order the cleaning rules check them: the first rule a record
 * breaks is its reason. The codes are a public contract (quarantine files, manifests, Athena
 * queries): never rename one.
 */
public enum Reason {
  /** The file's header matches no known layout: every record of the file goes here. */
  UNKNOWN_LAYOUT("unknown_layout"),
  /** The file is under no {@code region=<xx>} folder, so its rows have no region. */
  MISSING_REGION("missing_region"),
  /** Wrong number of fields, or a record cut off at the end of the file. */
  MALFORMED_CSV("malformed_csv"),
  INVALID_VIDEO_ID("invalid_video_id"),
  INVALID_TRENDING_DATE("invalid_trending_date"),
  INVALID_PUBLISH_TIME("invalid_publish_time"),
  INVALID_CATEGORY_ID("invalid_category_id"),
  INVALID_COUNT("invalid_count"),
  INVALID_BOOLEAN("invalid_boolean"),
  /**
   * A JSON file that does not parse, or is not the response it should be (a videoCategories.list, a
   * TMDB list or genre list): the file is quarantined once, whole.
   */
  MALFORMED_JSON("malformed_json"),
  /** A category item without a usable id, title or region. */
  INVALID_CATEGORY("invalid_category"),
  /**
   * A category JSON file that is not UTF-8 (UTF-16 or UTF-32, or bytes that are no UTF-8), which
   * JSON for interchange must be: the whole file, as it can't be read item by item.
   */
  INVALID_ENCODING("invalid_encoding"),
  /**
   * TMDB: the file is not under {@code data_type=<popular|trending|airing_today>/dt=<yyyy-mm-dd>/},
   * or its {@code _metadata.data_type} names another list: every record of the file goes here.
   */
  INVALID_PATH("invalid_path"),
  /** TMDB: {@code id} is not a positive integer. */
  INVALID_SHOW_ID("invalid_show_id"),
  /** TMDB: {@code name} is missing or blank. */
  MISSING_NAME("missing_name"),
  /** TMDB: {@code popularity} is not a non-negative number. */
  INVALID_POPULARITY("invalid_popularity"),
  /** TMDB: {@code vote_average} is not a number from zero to ten. */
  INVALID_VOTE_AVERAGE("invalid_vote_average"),
  /** TMDB: {@code vote_count} is not a non-negative integer. */
  INVALID_VOTE_COUNT("invalid_vote_count"),
  /** TMDB: {@code first_air_date} is neither empty nor an ISO date. */
  INVALID_FIRST_AIR_DATE("invalid_first_air_date"),
  /** TMDB: {@code genre_ids} is not a list of integers. */
  INVALID_GENRE_IDS("invalid_genre_ids"),
  /** TMDB: {@code origin_country} is not a list of two-letter country codes. */
  INVALID_ORIGIN_COUNTRY("invalid_origin_country"),
  /** TMDB: a genre without a positive integer id or a name. */
  INVALID_GENRE("invalid_genre");

  private final String code;

  Reason(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }

  @Override
  public String toString() {
    return code;
  }
}
