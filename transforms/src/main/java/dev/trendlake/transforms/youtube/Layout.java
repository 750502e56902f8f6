package dev.trendlake.transforms.youtube;

import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

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
      "kaggle_2017", TrendingColumns.Source::kaggle, TrendingColumns.Source::kaggleOptional),
  /** YouTube trending 2020+ (rsrishav), the layout the ingest step writes too. */
  API_2020("api_2020", TrendingColumns.Source::api, s -> false),
  UNKNOWN("unknown", s -> null, s -> false);

  private final String id;

  /** Normalised header name to the index of its source in {@link TrendingColumns#SOURCES}. */
  private final Map<String, Integer> columns = new LinkedHashMap<>();

  private final Set<String> optional = new HashSet<>();

  Layout(
      String id,
      Function<TrendingColumns.Source, String> header,
      Predicate<TrendingColumns.Source> isOptional) {
    this.id = id;
    List<TrendingColumns.Source> sources = TrendingColumns.SOURCES;
    for (int i = 0; i < sources.size(); i++) {
      String h = header.apply(sources.get(i));
      if (h != null) {
        columns.put(normalise(h), i);
        if (isOptional.test(sources.get(i))) {
          optional.add(normalise(h));
        }
      }
    }
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
   * For each entry of {@link TrendingColumns#SOURCES}, the index of the header cell holding it, or
   * -1 when this layout or this particular file has no such column.
   */
  public int[] columnIndexes(List<String> header) {
    int[] idx = new int[TrendingColumns.SOURCES.size()];
    Arrays.fill(idx, -1);
    Map<String, Integer> pos = new LinkedHashMap<>();
    for (int i = 0; i < header.size(); i++) {
      pos.putIfAbsent(normalise(header.get(i)), i);
    }
    for (Map.Entry<String, Integer> e : columns.entrySet()) {
      Integer p = pos.get(e.getKey());
      if (p != null) {
        idx[e.getValue()] = p;
      }
    }
    return idx;
  }
}
