package dev.trendlake.pipeline.io;

import dev.trendlake.transforms.model.Category;
import dev.trendlake.transforms.model.TrendingRow;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** Converts trendlake records to Avro only at the Parquet boundary. */
public final class Records {
  private Records() {}

  public static GenericRecord gold(TrendingRow r, String categoryTitle) {
    GenericData.Record g = new GenericData.Record(Schemas.GOLD);
    g.put("video_id", r.videoId());
    g.put("title", r.title());
    g.put("channel_title", r.channelTitle());
    g.put("channel_id", r.channelId());
    g.put("category_id", r.categoryId());
    g.put("category_title", categoryTitle);
    g.put("publish_time", r.publishTimeMicros());
    g.put("tags", r.tags());
    g.put("views", r.views());
    g.put("likes", r.likes());
    g.put("dislikes", r.dislikes());
    g.put("comment_count", r.commentCount());
    g.put("thumbnail_link", r.thumbnailLink());
    g.put("comments_disabled", r.commentsDisabled());
    g.put("ratings_disabled", r.ratingsDisabled());
    g.put("video_error_or_removed", r.videoErrorOrRemoved());
    g.put("description", r.description());
    return g;
  }

  public static GenericRecord silver(TrendingRow r) {
    GenericData.Record s = new GenericData.Record(Schemas.SILVER_STATISTICS);
    s.put("video_id", r.videoId());
    s.put("title", r.title());
    s.put("channel_title", r.channelTitle());
    s.put("channel_id", r.channelId());
    s.put("category_id", r.categoryId());
    s.put("publish_time", r.publishTimeMicros());
    s.put("tags", r.tags());
    s.put("views", r.views());
    s.put("likes", r.likes());
    s.put("dislikes", r.dislikes());
    s.put("comment_count", r.commentCount());
    s.put("thumbnail_link", r.thumbnailLink());
    s.put("comments_disabled", r.commentsDisabled());
    s.put("ratings_disabled", r.ratingsDisabled());
    s.put("video_error_or_removed", r.videoErrorOrRemoved());
    s.put("description", r.description());
    s.put("source_file", r.sourceFile());
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
}
