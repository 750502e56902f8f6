package dev.trendlake.pipeline.warehouse;

import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.youtube.TrendingColumns;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * How a gold row becomes a row of the fact staging table ({@link StarSchema#STAGE_FACT}): the
 * surrogate and date keys computed, tags as a JSON array (Redshift has no arrays; {@code
 * JSON_SERIALIZE} gives the same text on the COPY path), publish time as UTC wall-clock time.
 */
public final class StagedRow {
  private StagedRow() {}

  private static final DateTimeFormatter TS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

  /** {@code yyyymmdd} as an int: readable, sortable, and the same on every engine. */
  public static int dateKey(int epochDay) {
    LocalDate d = LocalDate.ofEpochDay(epochDay);
    return d.getYear() * 10000 + d.getMonthValue() * 100 + d.getDayOfMonth();
  }

  public static LocalDateTime publishTime(long micros) {
    return LocalDateTime.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L),
        (int) Math.floorMod(micros, 1_000_000L) * 1000,
        ZoneOffset.UTC);
  }

  /** {@code ["a","b"]}: JSON string escapes as Jackson writes them (short forms, else \\u00XX). */
  public static String tagsJson(List<String> tags) {
    return jsonArray(tags);
  }

  /**
   * A list of strings as a JSON array text, for engines without arrays (Redshift): {@link
   * #tagsJson}'s text.
   */
  public static String jsonArray(List<String> tags) {
    StringBuilder sb = new StringBuilder(16 * tags.size() + 2).append('[');
    for (int i = 0; i < tags.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append('"');
      escape(sb, tags.get(i), JSON_ESCAPES);
      sb.append('"');
    }
    return sb.append(']').toString();
  }

  /** The values of one staged row, in {@link StarSchema#STAGE_FACT} order. */
  public static Object[] values(String batchId, Row r) {
    return values(
        batchId,
        r,
        ChannelKey.of(r.get(TrendingColumns.CHANNEL_ID), r.get(TrendingColumns.CHANNEL_TITLE)));
  }

  /** As {@link #values(String, Row)}, with the channel key already computed (it is cached). */
  public static Object[] values(String batchId, Row r, long channelKey) {
    return new Object[] {
      batchId,
      r.get(TrendingColumns.REGION),
      r.get(TrendingColumns.VIDEO_ID),
      dateKey(r.get(TrendingColumns.TRENDING_DATE)),
      r.get(TrendingColumns.CATEGORY_ID),
      channelKey,
      r.get(TrendingColumns.CHANNEL_ID),
      r.get(TrendingColumns.CHANNEL_TITLE),
      r.get(TrendingColumns.TITLE),
      publishTime(r.get(TrendingColumns.PUBLISH_TIME)),
      tagsJson(r.get(TrendingColumns.TAGS)),
      r.get(TrendingColumns.VIEWS),
      r.get(TrendingColumns.LIKES),
      r.get(TrendingColumns.DISLIKES),
      r.get(TrendingColumns.COMMENT_COUNT),
      r.get(TrendingColumns.COMMENTS_DISABLED),
      r.get(TrendingColumns.RATINGS_DISABLED),
      r.get(TrendingColumns.VIDEO_ERROR_OR_REMOVED)
    };
  }

  /**
   * Appends one staged row in PostgreSQL COPY text format, field by field without boxing: the same
   * text {@link #appendCopyText} writes for {@link #values}, at a fraction of the cost (the
   * benchmark showed the generic path spending a third of the staging time in Java).
   */
  public static void appendCopyRow(StringBuilder sb, String batchId, Row r, long channelKey) {
    escaped(sb, batchId).append('\t');
    escaped(sb, r.get(TrendingColumns.REGION)).append('\t');
    escaped(sb, r.get(TrendingColumns.VIDEO_ID)).append('\t');
    sb.append(dateKey(r.get(TrendingColumns.TRENDING_DATE))).append('\t');
    sb.append(r.get(TrendingColumns.CATEGORY_ID)).append('\t');
    sb.append(channelKey).append('\t');
    escapedOrNull(sb, r.get(TrendingColumns.CHANNEL_ID)).append('\t');
    escapedOrNull(sb, r.get(TrendingColumns.CHANNEL_TITLE)).append('\t');
    escapedOrNull(sb, r.get(TrendingColumns.TITLE)).append('\t');
    timestamp(sb, r.get(TrendingColumns.PUBLISH_TIME)).append('\t');
    escaped(sb, tagsJson(r.get(TrendingColumns.TAGS))).append('\t');
    sb.append(r.get(TrendingColumns.VIEWS)).append('\t');
    longOrNull(sb, r.get(TrendingColumns.LIKES)).append('\t');
    longOrNull(sb, r.get(TrendingColumns.DISLIKES)).append('\t');
    longOrNull(sb, r.get(TrendingColumns.COMMENT_COUNT)).append('\t');
    sb.append(r.get(TrendingColumns.COMMENTS_DISABLED) ? 't' : 'f').append('\t');
    sb.append(r.get(TrendingColumns.RATINGS_DISABLED) ? 't' : 'f').append('\t');
    if (r.get(TrendingColumns.VIDEO_ERROR_OR_REMOVED) == null) {
      sb.append("\\N");
    } else {
      sb.append(r.get(TrendingColumns.VIDEO_ERROR_OR_REMOVED) ? 't' : 'f');
    }
    sb.append('\n');
  }

  private static StringBuilder longOrNull(StringBuilder sb, Long v) {
    return v == null ? sb.append("\\N") : sb.append(v.longValue());
  }

  private static StringBuilder escapedOrNull(StringBuilder sb, String s) {
    return s == null ? sb.append("\\N") : escaped(sb, s);
  }

  private static StringBuilder escaped(StringBuilder sb, String s) {
    return escape(sb, s, COPY_ESCAPES);
  }

  /**
   * The escapes of JSON strings as Jackson writes them: the short forms, else a six-character
   * unicode escape for the other control characters.
   */
  private static final String[] JSON_ESCAPES = new String[0x60];

  /**
   * The escapes of PostgreSQL's COPY text format; NUL is dropped because PostgreSQL text cannot
   * hold it (the cleaning rules should have removed it).
   */
  private static final String[] COPY_ESCAPES = new String[0x60];

  static {
    for (int ch = 0; ch < 0x20; ch++) {
      JSON_ESCAPES[ch] = String.format("\\u%04X", ch);
    }
    String[][] json = {
      {"\"", "\\\""},
      {"\\", "\\\\"},
      {"\n", "\\n"},
      {"\r", "\\r"},
      {"\t", "\\t"},
      {"\b", "\\b"},
      {"\f", "\\f"}
    };
    for (String[] e : json) {
      JSON_ESCAPES[e[0].charAt(0)] = e[1];
    }
    String[][] copy = {{"\\", "\\\\"}, {"\t", "\\t"}, {"\n", "\\n"}, {"\r", "\\r"}, {"\0", ""}};
    for (String[] e : copy) {
      COPY_ESCAPES[e[0].charAt(0)] = e[1];
    }
  }

  /** Appends {@code s} with each character that has an entry in {@code escapes} replaced by it. */
  private static StringBuilder escape(StringBuilder sb, String s, String[] escapes) {
    for (int k = 0; k < s.length(); k++) {
      char ch = s.charAt(k);
      String e = ch < escapes.length ? escapes[ch] : null;
      if (e == null) {
        sb.append(ch);
      } else {
        sb.append(e);
      }
    }
    return sb;
  }

  /** {@code yyyy-MM-dd HH:mm:ss.SSSSSS} (UTC) without a formatter. */
  static StringBuilder timestamp(StringBuilder sb, long micros) {
    long secs = Math.floorDiv(micros, 1_000_000L);
    int frac = (int) Math.floorMod(micros, 1_000_000L);
    LocalDate d = LocalDate.ofEpochDay(Math.floorDiv(secs, 86_400L));
    int sod = (int) Math.floorMod(secs, 86_400L);
    pad(sb, d.getYear(), 4).append('-');
    pad(sb, d.getMonthValue(), 2).append('-');
    pad(sb, d.getDayOfMonth(), 2).append(' ');
    pad(sb, sod / 3600, 2).append(':');
    pad(sb, sod / 60 % 60, 2).append(':');
    pad(sb, sod % 60, 2).append('.');
    return pad(sb, frac, 6);
  }

  private static StringBuilder pad(StringBuilder sb, int v, int width) {
    String s = Integer.toString(v);
    for (int i = s.length(); i < width; i++) {
      sb.append('0');
    }
    return sb.append(s);
  }

  /** Appends one row in PostgreSQL COPY text format (tab-separated, {@code \N} for null). */
  public static void appendCopyText(StringBuilder sb, Object[] values) {
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        sb.append('\t');
      }
      Object v = values[i];
      if (v == null) {
        sb.append("\\N");
      } else if (v instanceof Boolean b) {
        sb.append(b ? 't' : 'f');
      } else if (v instanceof LocalDateTime t) {
        sb.append(TS.format(t));
      } else if (v instanceof String s) {
        escaped(sb, s);
      } else {
        sb.append(v);
      }
    }
    sb.append('\n');
  }
}
