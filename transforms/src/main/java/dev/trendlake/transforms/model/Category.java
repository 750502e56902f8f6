package dev.trendlake.transforms.model;

/**
 * One YouTube video category of one region, from a {@code videoCategories.list} response.
 *
 * @param sourceFile the JSON file, relative to the bronze root (ties between files that define the
 *     same (region, id) are broken on it, so the choice is the same on every runner)
 */
public record Category(
    String region,
    long categoryId,
    String title,
    Boolean assignable,
    String channelId,
    String sourceFile) {

  /** The side-input key: categories join on (region, category_id), never on the id alone. */
  public static String key(String region, long categoryId) {
    return region + "/" + categoryId;
  }

  public String key() {
    return key(region, categoryId);
  }
}
