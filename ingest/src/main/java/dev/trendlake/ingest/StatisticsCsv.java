package dev.trendlake.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Converts {@code videos.list} items into the 2020+ trending CSV layout that {@code trendlake run}
 * reads ({@code Layout.API_2020}): a header of the 16 column names, then one record per video,
 * every value in double quotes ({@code "} doubled), records ending in LF, UTF-8 without a BOM.
 *
 * <p>Field rules, so that a bronze file says exactly what the API said:
 *
 * <ul>
 *   <li>{@code trending_date}: the fetch time T, ISO-8601 UTC with seconds ({@code
 *       2026-11-22T10:15:30Z}).
 *   <li>{@code tags}: {@code snippet.tags} joined with {@code |}; {@code [None]} when the item has
 *       no tags (the 2020+ datasets' marker, read as an empty list).
 *   <li>{@code view_count}, {@code likes}, {@code dislikes}, {@code comment_count}: the {@code
 *       statistics} strings as given, <b>empty</b> when the field is absent: the API no longer
 *       returns {@code dislikeCount}, and omits {@code likeCount} / {@code commentCount} when the
 *       channel hides or disables them. An absent {@code viewCount} is also written empty; the
 *       pipeline then quarantines that record ({@code invalid_count}), so it is never lost.
 *   <li>{@code ratings_disabled} is {@code True} exactly when {@code statistics.likeCount} is
 *       absent, {@code comments_disabled} is {@code True} exactly when {@code
 *       statistics.commentCount} is absent; otherwise {@code False}. (The API cannot tell hidden
 *       from disabled; absence is the only signal it gives.)
 *   <li>{@code thumbnail_link}: {@code snippet.thumbnails.default.url}, empty when absent.
 *   <li>{@code title}, {@code publishedAt}, {@code channelId}, {@code channelTitle}, {@code
 *       categoryId}, {@code description}: the snippet's values unchanged (line breaks kept inside
 *       the quotes), empty when absent.
 * </ul>
 */
public final class StatisticsCsv {
  private StatisticsCsv() {}

  public static final List<String> HEADER =
      List.of(
          "video_id",
          "title",
          "publishedAt",
          "channelId",
          "channelTitle",
          "categoryId",
          "trending_date",
          "tags",
          "view_count",
          "likes",
          "dislikes",
          "comment_count",
          "thumbnail_link",
          "comments_disabled",
          "ratings_disabled",
          "description");

  /** The whole file: header and one record per item, in API order. */
  public static byte[] toCsv(List<JsonNode> items, String trendingDate) {
    StringBuilder sb = new StringBuilder(4096 + items.size() * 1024);
    appendRecord(sb, HEADER);
    for (JsonNode item : items) {
      appendRecord(sb, row(item, trendingDate));
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** One item's 16 values, in header order. */
  public static List<String> row(JsonNode item, String trendingDate) {
    JsonNode snippet = item.path("snippet");
    JsonNode stats = item.path("statistics");
    List<String> v = new ArrayList<>(HEADER.size());
    v.add(text(item.path("id")));
    v.add(text(snippet.path("title")));
    v.add(text(snippet.path("publishedAt")));
    v.add(text(snippet.path("channelId")));
    v.add(text(snippet.path("channelTitle")));
    v.add(text(snippet.path("categoryId")));
    v.add(trendingDate);
    v.add(tags(snippet.path("tags")));
    v.add(text(stats.path("viewCount")));
    v.add(text(stats.path("likeCount")));
    v.add(text(stats.path("dislikeCount")));
    v.add(text(stats.path("commentCount")));
    v.add(text(snippet.path("thumbnails").path("default").path("url")));
    v.add(stats.path("commentCount").isValueNode() ? "False" : "True");
    v.add(stats.path("likeCount").isValueNode() ? "False" : "True");
    v.add(text(snippet.path("description")));
    return v;
  }

  private static String tags(JsonNode tags) {
    List<String> out = new ArrayList<>();
    for (JsonNode t : tags) {
      if (t.isValueNode()) {
        out.add(t.asText());
      }
    }
    return out.isEmpty() ? "[None]" : String.join("|", out);
  }

  private static String text(JsonNode n) {
    return n.isValueNode() && !n.isNull() ? n.asText() : "";
  }

  private static void appendRecord(StringBuilder sb, List<String> values) {
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append('"').append(values.get(i).replace("\"", "\"\"")).append('"');
    }
    sb.append('\n');
  }
}
