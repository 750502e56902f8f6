package dev.trendlake.pipeline.warehouse;

import dev.trendlake.pipeline.io.Schemas;
import java.util.StringJoiner;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * The SQL of a Redshift load by COPY from the committed gold Parquet in S3: a session temp table
 * shaped exactly like the gold files, one COPY per partition prefix into it, and an {@code INSERT
 * ... SELECT} that moves it into the fact staging table with the partition columns and the channel
 * key added. Redshift only (PostgreSQL cannot read Parquet from S3), and YouTube's star only
 * ({@link Star#copiesFromS3}).
 */
public final class RedshiftCopy {
  /** Name of the session temp table a Redshift COPY lands one gold partition in. */
  public static final String GOLD_LANDING = "gold_landing";

  private final StarSql sql;

  public RedshiftCopy(StarSql sql) {
    if (sql.dialect() != Dialect.REDSHIFT) {
      throw new IllegalArgumentException("COPY from S3 needs Redshift");
    }
    if (!sql.star().copiesFromS3()) {
      throw new IllegalArgumentException(
          "COPY from S3 is not built for the " + sql.star().dataset().name() + " star");
    }
    this.sql = sql;
  }

  /**
   * The Redshift type of a gold Parquet column. COPY maps Parquet columns to table columns by
   * position, so the landing table is generated from {@link Schemas#GOLD} itself.
   */
  public static String redshiftType(Schema.Field f) {
    Schema s = f.schema();
    if (s.getType() == Schema.Type.UNION) {
      s =
          s.getTypes().stream()
              .filter(x -> x.getType() != Schema.Type.NULL)
              .findFirst()
              .orElseThrow();
    }
    if (s.getLogicalType() instanceof LogicalTypes.TimestampMicros) {
      return "TIMESTAMP";
    }
    return switch (s.getType()) {
      case STRING -> f.name().equals("description") ? "VARCHAR(65535)" : "VARCHAR(1024)";
      case LONG -> "BIGINT";
      case INT -> "INTEGER";
      case BOOLEAN -> "BOOLEAN";
      case ARRAY -> "SUPER";
      default ->
          throw new IllegalStateException(
              "no Redshift type for gold column " + f.name() + ": " + s);
    };
  }

  /** CREATE TEMP TABLE shaped exactly like the gold Parquet files (no partition columns). */
  public String createGoldLanding() {
    StringJoiner cols = new StringJoiner(", ", "(", ")");
    for (Schema.Field f : Schemas.GOLD.getFields()) {
      cols.add(Sql.identifier("gold column", f.name()) + " " + redshiftType(f));
    }
    return "CREATE TEMP TABLE " + GOLD_LANDING + " " + cols;
  }

  /**
   * COPY of one gold partition prefix. The partition columns (region, trending_date) are not in the
   * files, only in the prefix, so each partition is copied on its own and they are added from the
   * prefix in {@link #insertStageFromLanding}. {@code SERIALIZETOJSON} lands the tags list in a
   * SUPER column.
   */
  public static String copyGoldPartition(String partitionPrefix, String roleArn) {
    return "COPY "
        + GOLD_LANDING
        + " FROM '"
        + Sql.s3Prefix(partitionPrefix)
        + "' IAM_ROLE '"
        + Sql.roleArn(roleArn)
        + "' FORMAT AS PARQUET SERIALIZETOJSON";
  }

  /**
   * Moves a landed partition into the fact staging table; parameters: batch_id, region, date_key.
   */
  public String insertStageFromLanding(StarSchema.RunTables r) {
    return "INSERT INTO "
        + sql.q(r.stageFact)
        + " ("
        + String.join(", ", StarSchema.stageFactColumns())
        + ")\n"
        + "SELECT ?, ?, video_id, ?, category_id, "
        + ChannelKey.redshiftSql("channel_id", "channel_title")
        + ", channel_id, channel_title, title, publish_time, JSON_SERIALIZE(tags), views, likes,"
        + " dislikes, comment_count, comments_disabled, ratings_disabled, video_error_or_removed"
        + " FROM "
        + GOLD_LANDING;
  }
}
