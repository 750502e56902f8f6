package dev.trendlake.pipeline.warehouse;

import dev.trendlake.transforms.model.TrendingRow;
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

  private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

  /** {@code yyyymmdd} as an int: readable, sortable, and the same on every engine. */
  public static int dateKey(int epochDay) {
    LocalDate d = LocalDate.ofEpochDay(epochDay);
    return d.getYear() * 10000 + d.getMonthValue() * 100 + d.getDayOfMonth();
  }

  public static LocalDateTime publishTime(long micros) {
    return LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC);
  }

  /** {@code ["a","b"]}: JSON string escapes as Jackson writes them (short forms, else \\u00XX). */
  public static String tagsJson(List<String> tags) {
    StringBuilder sb = new StringBuilder(16 * tags.size() + 2).append('[');
    for (int i = 0; i < tags.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append('"');
      String t = tags.get(i);
      for (int k = 0; k < t.length(); k++) {
        char ch = t.charAt(k);
        switch (ch) {
          case '"' -> sb.append("\\\"");
          case '\\' -> sb.append("\\\\");
          case '\n' -> sb.append("\\n");
          case '\r' -> sb.append("\\r");
          case '\t' -> sb.append("\\t");
          case '\b' -> sb.append("\\b");
          case '\f' -> sb.append("\\f");
          default -> {
            if (ch < 0x20) {
              sb.append(String.format("\\u%04X", (int) ch));
            } else {
              sb.append(ch);
            }
          }
        }
      }
      sb.append('"');
    }
    return sb.append(']').toString();
  }

  /** The values of one staged row, in {@link StarSchema#STAGE_FACT} order. */
  public static Object[] values(String batchId, TrendingRow r) {
    return values(batchId, r, StarSchema.channelKey(r.channelId(), r.channelTitle()));
  }

  /** As {@link #values(String, TrendingRow)}, with the channel key already computed (it is cached). */
  public static Object[] values(String batchId, TrendingRow r, long channelKey) {
    return new Object[] {
      batchId,
      r.region(),
      r.videoId(),
      dateKey(r.trendingDate()),
      r.categoryId(),
      channelKey,
      r.channelId(),
      r.channelTitle(),
      r.title(),
      publishTime(r.publishTimeMicros()),
      tagsJson(r.tags()),
      r.views(),
      r.likes(),
      r.dislikes(),
      r.commentCount(),
      r.commentsDisabled(),
      r.ratingsDisabled(),
      r.videoErrorOrRemoved()
    };
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
        for (int k = 0; k < s.length(); k++) {
          char ch = s.charAt(k);
          switch (ch) {
            case '\\' -> sb.append("\\\\");
            case '\t' -> sb.append("\\t");
            case '\n' -> sb.append("\\n");
            case '\r' -> sb.append("\\r");
            case '\0' -> { } // PostgreSQL text cannot hold NUL; the cleaning rules should have removed it
            default -> sb.append(ch);
          }
        }
      } else {
        sb.append(v);
      }
    }
    sb.append('\n');
  }
}
