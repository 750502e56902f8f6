package dev.trendlake.pipeline.io;

import dev.trendlake.transforms.row.Col;
import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.row.RowSchema;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;

/**
 * Converts rows to Avro only at the Parquet boundary, by their column definitions.
 *
 * <p>Text goes in as Avro {@link Utf8}, not {@link String}: parquet-avro writes a String through
 * {@code Binary.fromCharSequence}, a CharsetEncoder over a CharBuffer that reads one char at a
 * time; a Utf8 is encoded once by {@link String#getBytes} and handed over as bytes (see
 * docs/benchmark.md). {@link #gold(GenericRecord, Row)} reuses the silver record's encoded values,
 * so each row's text is encoded once for both files.
 */
public final class Records {
  private final RowSchema schema;
  private final Schema silver;
  private final Schema gold;
  private final Col<?>[] silverCols;
  private final Col<?>[] joinedCols;

  /** For each gold field, the position of the same field in silver, or -1 for a joined one. */
  private final int[] goldFromSilver;

  public Records(RowSchema schema) {
    this.schema = schema;
    this.silver = Schemas.silver(schema);
    this.gold = Schemas.gold(schema);
    this.silverCols = schema.silverCols().toArray(new Col<?>[0]);
    List<Col<?>> goldCols = schema.goldCols();
    this.goldFromSilver = new int[goldCols.size()];
    List<Col<?>> joined = new ArrayList<>();
    for (int i = 0; i < goldCols.size(); i++) {
      Schema.Field f = silver.getField(goldCols.get(i).name());
      goldFromSilver[i] = f == null ? -1 : f.pos();
      if (f == null) {
        joined.add(goldCols.get(i));
      }
    }
    this.joinedCols = joined.toArray(new Col<?>[0]);
  }

  public Schema silverSchema() {
    return silver;
  }

  public Schema goldSchema() {
    return gold;
  }

  public GenericRecord silver(Row r) {
    GenericData.Record s = new GenericData.Record(silver);
    for (int i = 0; i < silverCols.length; i++) {
      s.put(i, avro(r.value(silverCols[i].index())));
    }
    return s;
  }

  /** The gold record made of a {@link #silver} record's values and the row's joined columns. */
  public GenericRecord gold(GenericRecord silverRecord, Row r) {
    GenericData.Record g = new GenericData.Record(gold);
    int joined = 0;
    for (int i = 0; i < goldFromSilver.length; i++) {
      g.put(
          i,
          goldFromSilver[i] >= 0
              ? silverRecord.get(goldFromSilver[i])
              : avro(r.value(joinedCols[joined++].index())));
    }
    return g;
  }

  private static Object avro(Object v) {
    if (v instanceof String s) {
      return new Utf8(s);
    }
    if (v instanceof List<?> l && !l.isEmpty() && !(l.get(0) instanceof Long)) {
      List<Utf8> out = new ArrayList<>(l.size());
      for (Object x : l) {
        out.add(x == null ? null : new Utf8((String) x));
      }
      return out;
    }
    return v;
  }

  /**
   * A row read back from a silver file: its values by the column definition, the partition columns
   * from the partition's path, and an estimate of its source size (the CSV bytes are not kept; file
   * sizing of a rewritten partition counts the row's text and numbers instead).
   */
  public Row fromSilver(GenericRecord r, Row partitionValues) {
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
      return java.util.Collections.unmodifiableList(out);
    }
    return v;
  }
}
