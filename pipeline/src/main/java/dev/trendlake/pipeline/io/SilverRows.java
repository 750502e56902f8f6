package dev.trendlake.pipeline.io;

import dev.trendlake.transforms.row.Col;
import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.row.RowSchema;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.avro.generic.GenericRecord;

/**
 * Rows read back from committed silver files, by their column definitions: an incremental run
 * merges a touched partition's committed rows with the new ones. Writing does not go through Avro
 * ({@link RowFileWriter}); reading back does, as any Parquet reader would.
 */
final class SilverRows {
  private final RowSchema schema;
  private final Col<?>[] silverCols;

  SilverRows(RowSchema schema) {
    this.schema = schema;
    this.silverCols = schema.silverCols().toArray(new Col<?>[0]);
  }

  /**
   * A row read back from a silver file: its values by the column definition, the partition columns
   * from the partition's path, and an estimate of its source size (the CSV bytes are not kept; file
   * sizing of a rewritten partition counts the row's text and numbers instead).
   */
  Row fromSilver(GenericRecord r, Row partitionValues) {
    Object[] v = new Object[schema.size()];
    for (Col<?> c : schema.partitionCols()) {
      v[c.index()] = partitionValues.value(c.index());
    }
    int bytes = 0;
    for (int i = 0; i < silverCols.length; i++) {
      Object x = java(r.get(i));
      v[silverCols[i].index()] = x;
      bytes += x == null ? 1 : x.toString().length() + 1;
    }
    return new Row(v, bytes);
  }

  private static Object java(Object v) {
    if (v instanceof CharSequence cs) {
      return cs.toString();
    }
    if (v instanceof List<?> l) {
      if (l.isEmpty()) {
        return List.of();
      }
      List<Object> out = new ArrayList<>(l.size());
      for (Object x : l) {
        out.add(x instanceof CharSequence cs ? cs.toString() : x);
      }
      return Collections.unmodifiableList(out);
    }
    return v;
  }
}
