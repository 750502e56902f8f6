package dev.trendlake.transforms.youtube;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.trendlake.transforms.row.Row;
import java.util.List;
import org.junit.Test;

public class DedupeOrderTest {

  static Row row(
      long views, Long likes, Long comments, String description, String file, long line) {
    return TrendingColumns.SCHEMA
        .row()
        .set(TrendingColumns.REGION, "us")
        .set(TrendingColumns.TRENDING_DATE, 17484)
        .set(TrendingColumns.VIDEO_ID, "2kyS6SvSYSE")
        .set(TrendingColumns.CATEGORY_ID, 22L)
        .set(TrendingColumns.PUBLISH_TIME, 0L)
        .set(TrendingColumns.TAGS, List.of())
        .set(TrendingColumns.VIEWS, views)
        .set(TrendingColumns.LIKES, likes)
        .set(TrendingColumns.DISLIKES, 0L)
        .set(TrendingColumns.COMMENT_COUNT, comments)
        .set(TrendingColumns.COMMENTS_DISABLED, false)
        .set(TrendingColumns.RATINGS_DISABLED, false)
        .set(TrendingColumns.DESCRIPTION, description)
        .set(TrendingColumns.SOURCE_FILE, file)
        .set(TrendingColumns.SOURCE_LINE, line)
        .build(100);
  }

  @Test
  public void mostViewsThenLikesThenCommentsThenFirstFileAndLine() {
    assertTrue(DedupeOrder.better(row(11, 0L, 0L, "z", "f", 9), row(10, 99L, 99L, "a", "a", 1)));
    assertTrue(DedupeOrder.better(row(10, 5L, 0L, "z", "f", 9), row(10, 4L, 99L, "a", "a", 1)));
    assertTrue(DedupeOrder.better(row(10, 5L, 7L, "z", "f", 9), row(10, 5L, 6L, "a", "a", 1)));
    // tied on the counts: the first file wins, whatever the content, then the first line
    assertTrue(
        DedupeOrder.better(row(1, 1L, 1L, "z", "a.csv", 5), row(1, 1L, 1L, "a", "b.csv", 1)));
    assertTrue(
        DedupeOrder.better(row(1, 1L, 1L, "z", "a.csv", 5), row(1, 1L, 1L, "a", "a.csv", 6)));
    assertFalse(
        DedupeOrder.better(row(1, 1L, 1L, "a", "b.csv", 1), row(1, 1L, 1L, "z", "a.csv", 5)));
    // a hidden (null) like count loses to any count
    assertTrue(DedupeOrder.better(row(1, 0L, 1L, "x", "f", 1), row(1, null, 1L, "x", "a", 1)));
    assertFalse(DedupeOrder.better(row(1, 1L, 1L, "x", "f", 1), row(1, 1L, 1L, "x", "f", 1)));
  }
}
