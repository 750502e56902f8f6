package dev.trendlake.pipeline.io;

import dev.trendlake.transforms.row.Col;
import dev.trendlake.transforms.row.RowSchema;
import dev.trendlake.transforms.youtube.CategoryColumns;
import dev.trendlake.transforms.youtube.TrendingColumns;
import java.util.List;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;

/**
 * The Parquet schemas of silver and gold, derived from the column definitions ({@link
 * TrendingColumns}, {@link CategoryColumns}): a public contract. Athena/Glue tables (terraform/),
 * the Redshift COPY landing table and the golden tests are checked against these, so the code and
 * the catalog can never drift apart.
 *
 * <p>Partition columns ({@code region}, {@code trending_date}) are not in the files: they live in
 * the Hive-style path only, as Spark, awswrangler and Athena expect.
 */
public final class Schemas {
  private Schemas() {}

  /** Gold: one row per (region, video_id, trending_date), categories joined. */
  public static final Schema GOLD = of(TrendingColumns.SCHEMA.name() + "_gold", goldCols());

  /** Silver statistics: the cleaned, deduplicated rows with their lineage. */
  public static final Schema SILVER_STATISTICS =
      of(TrendingColumns.SCHEMA.name() + "_silver", TrendingColumns.SCHEMA.silverCols());

  /** Silver categories: one row per (region, category_id); region is in the path. */
  public static final Schema SILVER_CATEGORIES =
      of(CategoryColumns.SCHEMA.name() + "_silver", CategoryColumns.SCHEMA.silverCols());

  private static List<Col<?>> goldCols() {
    return TrendingColumns.SCHEMA.goldCols();
  }

  /** The Avro record (for parquet-avro) of these columns, in order. */
  public static Schema of(String name, List<Col<?>> cols) {
    SchemaBuilder.FieldAssembler<Schema> f =
        SchemaBuilder.record(name).namespace("dev.trendlake").fields();
    for (Col<?> c : cols) {
      Schema t = type(c);
      f = f.name(c.name()).type(c.nullable() ? Schema.createUnion(nullSchema(), t) : t).noDefault();
    }
    return f.endRecord();
  }

  /** The silver and gold schemas of any table definition. */
  public static Schema silver(RowSchema schema) {
    return of(schema.name() + "_silver", schema.silverCols());
  }

  public static Schema gold(RowSchema schema) {
    return of(schema.name() + "_gold", schema.goldCols());
  }

  private static Schema nullSchema() {
    return Schema.create(Schema.Type.NULL);
  }

  private static Schema type(Col<?> c) {
    return switch (c.type()) {
      case STRING -> Schema.create(Schema.Type.STRING);
      case INT64 -> Schema.create(Schema.Type.LONG);
      case FLOAT64 -> Schema.create(Schema.Type.DOUBLE);
      case BOOLEAN -> Schema.create(Schema.Type.BOOLEAN);
      case TIMESTAMP_MICROS ->
          LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
      case DATE -> LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
      case STRING_LIST -> Schema.createArray(Schema.create(Schema.Type.STRING));
      case INT64_LIST -> Schema.createArray(Schema.create(Schema.Type.LONG));
      case STRING_LIST_NULLABLE_ENTRIES ->
          Schema.createArray(Schema.createUnion(nullSchema(), Schema.create(Schema.Type.STRING)));
    };
  }
}
