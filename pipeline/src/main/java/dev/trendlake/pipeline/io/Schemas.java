package dev.trendlake.pipeline.io;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;

/**
 * The Parquet schemas of silver and gold: a public contract. Athena/Glue tables (terraform/), the
 * Redshift COPY staging tables and the golden tests are checked against these constants, so the
 * code and the catalog can never drift apart.
 *
 * <p>Partition columns ({@code region}, {@code trending_date}) are not in the files: they live in
 * the Hive-style path only, as Spark, awswrangler and Athena expect.
 */
public final class Schemas {
  private Schemas() {}

  private static final Schema TIMESTAMP_MICROS =
      LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));

  /** Gold: one row per (region, video_id, trending_date), categories joined. */
  public static final Schema GOLD =
      SchemaBuilder.record("trending_gold")
          .namespace("dev.trendlake")
          .fields()
          .requiredString("video_id")
          .optionalString("title")
          .optionalString("channel_title")
          .optionalString("channel_id")
          .requiredLong("category_id")
          .optionalString("category_title")
          .name("publish_time")
          .type(TIMESTAMP_MICROS)
          .noDefault()
          .name("tags")
          .type()
          .array()
          .items()
          .stringType()
          .noDefault()
          .requiredLong("views")
          .optionalLong("likes")
          .optionalLong("dislikes")
          .optionalLong("comment_count")
          .optionalString("thumbnail_link")
          .requiredBoolean("comments_disabled")
          .requiredBoolean("ratings_disabled")
          .optionalBoolean("video_error_or_removed")
          .optionalString("description")
          .endRecord();

  /** Silver statistics: the cleaned, deduplicated rows with their lineage. */
  public static final Schema SILVER_STATISTICS =
      SchemaBuilder.record("trending_silver")
          .namespace("dev.trendlake")
          .fields()
          .requiredString("video_id")
          .optionalString("title")
          .optionalString("channel_title")
          .optionalString("channel_id")
          .requiredLong("category_id")
          .name("publish_time")
          .type(TIMESTAMP_MICROS)
          .noDefault()
          .name("tags")
          .type()
          .array()
          .items()
          .stringType()
          .noDefault()
          .requiredLong("views")
          .optionalLong("likes")
          .optionalLong("dislikes")
          .optionalLong("comment_count")
          .optionalString("thumbnail_link")
          .requiredBoolean("comments_disabled")
          .requiredBoolean("ratings_disabled")
          .optionalBoolean("video_error_or_removed")
          .optionalString("description")
          .requiredString("source_file")
          .requiredLong("source_line")
          .endRecord();

  /** Silver categories: one row per (region, category_id); region is in the path. */
  public static final Schema SILVER_CATEGORIES =
      SchemaBuilder.record("category_silver")
          .namespace("dev.trendlake")
          .fields()
          .requiredLong("category_id")
          .requiredString("title")
          .optionalBoolean("assignable")
          .optionalString("channel_id")
          .requiredString("source_file")
          .endRecord();
}
