package dev.trendlake.pipeline.io;

import dev.trendlake.transforms.row.Col;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.schema.MessageType;

/**
 * One kind of Parquet file (silver or gold of a table): its Parquet schema, the columns in that
 * schema's order, and the key-value metadata of its footer.
 *
 * <p>The Parquet schema is converted from the Avro contract ({@link Schemas}), the one the Glue
 * tables are checked against, exactly as parquet-avro converted it when it wrote the files; the
 * Avro schema stays in the footer under {@code parquet.avro.schema}, so Avro readers see the same
 * record as before. Avro is used only here, once per writer setup, never per row. A list column
 * must be required (ValueType: never null, empty instead): {@link RowFileWriter} writes its levels
 * so.
 */
record FileLayout(MessageType type, List<Col<?>> cols, Map<String, String> metadata) {
  static FileLayout of(Schema avro, List<Col<?>> cols, Configuration conf) {
    MessageType type = new AvroSchemaConverter(conf).convert(avro);
    if (type.getFieldCount() != cols.size()) {
      throw new IllegalArgumentException(
          "Parquet schema " + type + " does not match the columns " + cols);
    }
    for (int i = 0; i < cols.size(); i++) {
      if (!type.getFieldName(i).equals(cols.get(i).name())) {
        throw new IllegalArgumentException(
            "Parquet field " + i + " is " + type.getFieldName(i) + ", not " + cols.get(i).name());
      }
    }
    // sorted, so that the footer lists them in the same order on every run
    Map<String, String> metadata = new TreeMap<>();
    metadata.put("parquet.avro.schema", avro.toString());
    metadata.put("writer.model.name", "trendlake");
    return new FileLayout(type, List.copyOf(cols), Collections.unmodifiableMap(metadata));
  }
}
