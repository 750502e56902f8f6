package dev.trendlake.transforms.rules;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.trendlake.transforms.model.TrendingRow;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.Test;

public class DedupeOrderTest {

  static TrendingRow row(long views, Long likes, Long comments, String raw, String file, long line) {
    return new TrendingRow("us", 17484, "2kyS6SvSYSE", "t", "c", null, 22, 0, List.of(), views, likes, 0L, comments,
        null, false, false, null, "d", file, line, raw.getBytes(StandardCharsets.UTF_8), null);
  }

  @Test
  public void mostViewsThenLikesThenCommentsThenSmallestRaw() {
    assertTrue(DedupeOrder.better(row(11, 0L, 0L, "z", "f", 1), row(10, 99L, 99L, "a", "f", 1)));
    assertTrue(DedupeOrder.better(row(10, 5L, 0L, "z", "f", 1), row(10, 4L, 99L, "a", "f", 1)));
    assertTrue(DedupeOrder.better(row(10, 5L, 7L, "z", "f", 1), row(10, 5L, 6L, "a", "f", 1)));
    assertTrue(DedupeOrder.better(row(10, 5L, 7L, "A", "f", 9), row(10, 5L, 7L, "B", "f", 1)));
    // raw compared as unsigned bytes: a multi-byte UTF-8 character sorts after ASCII
    assertTrue(DedupeOrder.better(row(1, 1L, 1L, "z", "f", 1), row(1, 1L, 1L, "é", "f", 1)));
    // identical raw: the first file and line win, so lineage is the same on every runner
    assertTrue(DedupeOrder.better(row(1, 1L, 1L, "x", "a.csv", 5), row(1, 1L, 1L, "x", "b.csv", 1)));
    // a hidden (null) like count loses to any count
    assertTrue(DedupeOrder.better(row(1, 0L, 1L, "x", "f", 1), row(1, null, 1L, "x", "f", 1)));
    assertFalse(DedupeOrder.better(row(1, 1L, 1L, "x", "f", 1), row(1, 1L, 1L, "x", "f", 1)));
  }
}
