package dev.trendlake.transforms.youtube;

import static dev.trendlake.transforms.row.Col.Role.DATA;
import static dev.trendlake.transforms.row.Col.Role.LINEAGE;
import static dev.trendlake.transforms.row.Col.Role.PARTITION;

import dev.trendlake.transforms.row.Col;
import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.row.RowSchema;
import java.util.Map;

/**
 * The YouTube categories table (silver/categories), one row per (region, category_id) from the
 * {@code videoCategories.list} responses, and the join key of the category side input: <b>(region,
 * category_id)</b>, never the id alone (the well-known tutorial join on the id alone multiplies
 * rows by the number of regions).
 */
public final class CategoryColumns {
  private CategoryColumns() {}

  private static final RowSchema.Builder B = RowSchema.builder("categories");

  public static final Col<String> REGION = B.string("region", false, PARTITION);
  public static final Col<Long> CATEGORY_ID = B.int64("category_id", false, DATA);
  public static final Col<String> TITLE = B.string("title", false, DATA);
  public static final Col<Boolean> ASSIGNABLE = B.bool("assignable", true, DATA);
  public static final Col<String> CHANNEL_ID = B.string("channel_id", true, DATA);
  public static final Col<String> SOURCE_FILE = B.string("source_file", false, LINEAGE);

  public static final RowSchema SCHEMA = B.build();

  /** A category row. */
  public static Row of(
      String region,
      long categoryId,
      String title,
      Boolean assignable,
      String channelId,
      String sourceFile) {
    Object[] v = new Object[SCHEMA.size()];
    v[REGION.index()] = region;
    v[CATEGORY_ID.index()] = categoryId;
    v[TITLE.index()] = title;
    v[ASSIGNABLE.index()] = assignable;
    v[CHANNEL_ID.index()] = channelId;
    v[SOURCE_FILE.index()] = sourceFile;
    return new Row(v, 0);
  }

  /** The side-input key of a category in a region. */
  public static String key(String region, long categoryId) {
    return region + "/" + categoryId;
  }

  public static String key(Row category) {
    return key(category.get(REGION), category.get(CATEGORY_ID));
  }

  /**
   * The left join of a statistics row with the categories: the row with the title of its category
   * in its region, or with a null title where the region's categories lack the id (real data:
   * category 29 in CA, FR and IN statistics is missing from their JSON).
   */
  public static Row join(Row trending, Map<String, String> titleByKey) {
    String title =
        titleByKey.get(
            key(trending.get(TrendingColumns.REGION), trending.get(TrendingColumns.CATEGORY_ID)));
    return title == null ? trending : trending.with(TrendingColumns.CATEGORY_TITLE, title);
  }
}
