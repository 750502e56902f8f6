package dev.trendlake.pipeline.warehouse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
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

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

  /** {@code yyyymmdd} as an int: readable, sortable, and the same on every engine. */
  public static int dateKey(int epochDay) {
    LocalDate d = LocalDate.ofEpochDay(epochDay);
    return d.getYear() * 10000 + d.getMonthValue() * 100 + d.getDayOfMonth();
  }

  public static LocalDateTime publishTime(long micros) {
    return LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC);
  }

  public static String tagsJson(List<String> tags) {
    try {
      return JSON.writeValueAsString(tags);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The values of one staged row, in {@link StarSchema#STAGE_FACT} order. */
  public static Object[] values(String batchId, TrendingRow r) {
    return new Object[] {
      batchId,
      r.region(),
      r.videoId(),
      dateKey(r.trendingDate()),
      r.categoryId(),
      StarSchema.channelKey(r.channelId(), r.channelTitle()),
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
