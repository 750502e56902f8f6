package dev.trendlake.transforms.model;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The statistics CSV layouts trendlake recognises, by header names (any order, any case).
 *
 * <p>A header is matched against the 2020+ layout first (its camelCase names never occur in the
 * Kaggle layout), then the Kaggle 2017-18 layout, whose {@code thumbnail_link}, {@code description}
 * and {@code video_error_or_removed} columns are optional because real files exist without them.
 * Extra columns are ignored. Anything else is {@link #UNKNOWN}: every record of that file goes to
 * quarantine with reason {@code unknown_layout}.
 */
public enum Layout {
  /** Kaggle "Trending YouTube Video Statistics" (2017-18, datasnaek). */
  KAGGLE_2017(
      "kaggle_2017",
      Map.ofEntries(
          Map.entry("video_id", Column.VIDEO_ID),
          Map.entry("trending_date", Column.TRENDING_DATE),
          Map.entry("title", Column.TITLE),
          Map.entry("channel_title", Column.CHANNEL_TITLE),
          Map.entry("category_id", Column.CATEGORY_ID),
          Map.entry("publish_time", Column.PUBLISH_TIME),
          Map.entry("tags", Column.TAGS),
          Map.entry("views", Column.VIEWS),
          Map.entry("likes", Column.LIKES),
          Map.entry("dislikes", Column.DISLIKES),
          Map.entry("comment_count", Column.COMMENT_COUNT),
          Map.entry("thumbnail_link", Column.THUMBNAIL_LINK),
          Map.entry("comments_disabled", Column.COMMENTS_DISABLED),
          Map.entry("ratings_disabled", Column.RATINGS_DISABLED),
          Map.entry("video_error_or_removed", Column.VIDEO_ERROR_OR_REMOVED),
          Map.entry("description", Column.DESCRIPTION)),
      Set.of("thumbnail_link", "description", "video_error_or_removed")),
  /** YouTube trending 2020+ (rsrishav), the layout the ingest step writes too. */
  API_2020(
      "api_2020",
      Map.ofEntries(
          Map.entry("video_id", Column.VIDEO_ID),
          Map.entry("title", Column.TITLE),
          Map.entry("publishedat", Column.PUBLISH_TIME),
          Map.entry("channelid", Column.CHANNEL_ID),
          Map.entry("channeltitle", Column.CHANNEL_TITLE),
          Map.entry("categoryid", Column.CATEGORY_ID),
          Map.entry("trending_date", Column.TRENDING_DATE),
          Map.entry("tags", Column.TAGS),
          Map.entry("view_count", Column.VIEWS),
          Map.entry("likes", Column.LIKES),
          Map.entry("dislikes", Column.DISLIKES),
          Map.entry("comment_count", Column.COMMENT_COUNT),
          Map.entry("thumbnail_link", Column.THUMBNAIL_LINK),
          Map.entry("comments_disabled", Column.COMMENTS_DISABLED),
          Map.entry("ratings_disabled", Column.RATINGS_DISABLED),
          Map.entry("description", Column.DESCRIPTION)),
      Set.of()),
  UNKNOWN("unknown", Map.of(), Set.of());

  private final String id;
  private final Map<String, Column> columns;
  private final Set<String> optional;

  Layout(String id, Map<String, Column> columns, Set<String> optional) {
    this.id = id;
    this.columns = columns;
    this.optional = optional;
  }

  /** The name used in manifests and logs. */
  public String id() {
    return id;
  }

  /** Normalises a header cell: surrounding blanks removed, lower case. */
  public static String normalise(String headerCell) {
    return headerCell.strip().toLowerCase(Locale.ROOT);
  }

  private static Set<String> names(List<String> header) {
    Set<String> names = new java.util.HashSet<>();
    for (String h : header) {
      names.add(normalise(h));
    }
    return names;
  }

  /** Recognises a header (already normalised or not). */
  public static Layout detect(List<String> header) {
    Set<String> names = names(header);
    for (Layout l : Arrays.asList(API_2020, KAGGLE_2017)) {
      boolean ok = true;
      for (String c : l.columns.keySet()) {
        if (!l.optional.contains(c) && !names.contains(c)) {
          ok = false;
          break;
        }
      }
      if (ok) {
        return l;
      }
    }
    return UNKNOWN;
  }

  /** The header columns this layout requires but {@code header} lacks, for error messages. */
  public java.util.List<String> missing(List<String> header) {
    Set<String> names = names(header);
    java.util.List<String> out = new java.util.ArrayList<>();
    for (String c : new java.util.TreeSet<>(columns.keySet())) {
      if (!optional.contains(c) && !names.contains(c)) {
        out.add(c);
      }
    }
    return out;
  }

  /**
   * For each {@link Column} ordinal, the index of the header cell holding it, or -1 when this
   * layout or this particular file has no such column.
   */
  public int[] columnIndexes(List<String> header) {
    int[] idx = new int[Column.count()];
    Arrays.fill(idx, -1);
    Map<String, Integer> pos = new LinkedHashMap<>();
    for (int i = 0; i < header.size(); i++) {
      pos.putIfAbsent(normalise(header.get(i)), i);
    }
    for (Map.Entry<String, Column> e : columns.entrySet()) {
      Integer p = pos.get(e.getKey());
      if (p != null) {
        idx[e.getValue().ordinal()] = p;
      }
    }
    return idx;
  }
}
