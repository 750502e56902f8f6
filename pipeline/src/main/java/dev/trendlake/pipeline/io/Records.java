package dev.trendlake.pipeline.io;

import dev.trendlake.transforms.model.Category;
import dev.trendlake.transforms.model.TrendingRow;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;

/**
 * Converts trendlake records to Avro only at the Parquet boundary.
 *
 * <p>Text goes in as Avro {@link Utf8}, not {@link String}: parquet-avro writes a String through
 * {@code Binary.fromCharSequence}, a CharsetEncoder over a CharBuffer that reads one char at a
 * time, which was 16% of a whole 1M-row run's CPU (docs/benchmark.md); a Utf8 is encoded once by
 * {@link String#getBytes} and handed over as bytes. {@link #gold(GenericRecord, String)} reuses the
 * silver record's encoded values, so each row's text is encoded once for both files.
 */
public final class Records {
  private Records() {}

  /** The gold record made of a {@link #silver} record's values and the joined category title. */
  public static GenericRecord gold(GenericRecord silver, String categoryTitle) {
    GenericData.Record g = new GenericData.Record(Schemas.GOLD);
    for (String f : SHARED) {
      g.put(f, silver.get(f));
    }
    g.put("category_title", utf8(categoryTitle));
    return g;
  }

  /** The gold columns that silver has too, in gold's order. */
  private static final List<String> SHARED =
      Schemas.GOLD.getFields().stream()
          .map(org.apache.avro.Schema.Field::name)
          .filter(n -> Schemas.SILVER_STATISTICS.getField(n) != null)
          .toList();

  public static GenericRecord silver(TrendingRow r) {
    GenericData.Record s = new GenericData.Record(Schemas.SILVER_STATISTICS);
    s.put("video_id", utf8(r.videoId()));
    s.put("title", utf8(r.title()));
    s.put("channel_title", utf8(r.channelTitle()));
    s.put("channel_id", utf8(r.channelId()));
    s.put("category_id", r.categoryId());
    s.put("publish_time", r.publishTimeMicros());
    s.put("tags", utf8(r.tags()));
    s.put("views", r.views());
    s.put("likes", r.likes());
    s.put("dislikes", r.dislikes());
    s.put("comment_count", r.commentCount());
    s.put("thumbnail_link", utf8(r.thumbnailLink()));
    s.put("comments_disabled", r.commentsDisabled());
    s.put("ratings_disabled", r.ratingsDisabled());
    s.put("video_error_or_removed", r.videoErrorOrRemoved());
    s.put("description", utf8(r.description()));
    s.put("source_file", utf8(r.sourceFile()));
    s.put("source_line", r.sourceLine());
    return s;
  }

  public static GenericRecord category(Category c) {
    GenericData.Record s = new GenericData.Record(Schemas.SILVER_CATEGORIES);
    s.put("category_id", c.categoryId());
    s.put("title", c.title());
    s.put("assignable", c.assignable());
    s.put("channel_id", c.channelId());
    s.put("source_file", c.sourceFile());
    return s;
  }

  private static Utf8 utf8(String s) {
    return s == null ? null : new Utf8(s);
  }

  private static List<Utf8> utf8(List<String> values) {
    List<Utf8> out = new ArrayList<>(values.size());
    for (String v : values) {
      out.add(utf8(v));
    }
    return out;
  }
}
