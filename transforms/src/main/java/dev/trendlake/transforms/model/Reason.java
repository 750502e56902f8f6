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
  /** A category JSON file that is not a videoCategories.list response. */
  MALFORMED_JSON("malformed_json"),
  /** A category item without a usable id, title or region. */
  INVALID_CATEGORY("invalid_category"),
  /**
   * A category JSON file that is not UTF-8 (UTF-16 or UTF-32, or bytes that are no UTF-8), which
   * JSON for interchange must be: the whole file, as it can't be read item by item.
   */
  INVALID_ENCODING("invalid_encoding");

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
