package dev.trendlake.transforms.rules;

import dev.trendlake.transforms.model.Category;
import dev.trendlake.transforms.model.TrendingRow;
import java.util.Map;

/**
 * The left join of rows with categories on <b>(region, category_id)</b>. Never on category_id
 * alone: the well-known tutorial join on the id alone multiplies rows by the number of regions. A
 * row whose category is unknown for its region (real data: category 29 in CA, FR and IN statistics
 * is missing from their JSON) keeps a null title.
 */
public final class CategoryLookup {
  private CategoryLookup() {}

  /** The title of {@code row}'s category in its region; null where it is unknown there. */
  public static String title(TrendingRow row, Map<String, String> titleByKey) {
    return titleByKey.get(Category.key(row.region(), row.categoryId()));
  }
}
