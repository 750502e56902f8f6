package dev.trendlake.pipeline.io;

import dev.trendlake.transforms.row.Col;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;

/**
 * Writes {@link ParquetValues} of rows straight to Parquet's record consumer, by the column
 * definition: no Avro record in between, and text arrives already encoded (once for silver and
 * gold).
 */
final class RowWriteSupport extends WriteSupport<Object[]> {
  private final MessageType schema;
  private final Col<?>[] cols;
  private final Map<String, String> metadata;
  private RecordConsumer rc;

  /**
   * @param cols the file's columns, in the order of {@code schema}'s fields
   */
  RowWriteSupport(MessageType schema, List<Col<?>> cols, Map<String, String> metadata) {
    this.schema = schema;
    this.cols = cols.toArray(new Col<?>[0]);
    this.metadata = metadata;
  }

  @Override
  public String getName() {
    return "trendlake";
  }

  @Override
  public WriteContext init(Configuration configuration) {
    return new WriteContext(schema, metadata);
  }

  @Override
  public void prepareForWrite(RecordConsumer recordConsumer) {
    this.rc = recordConsumer;
  }

  @Override
  public void write(Object[] values) {
    rc.startMessage();
    for (int f = 0; f < cols.length; f++) {
      Col<?> c = cols[f];
      Object v = values[c.index()];
      if (v == null) {
        continue;
      }
      rc.startField(c.name(), f);
      switch (c.type()) {
        case STRING -> rc.addBinary((Binary) v);
        case INT64, TIMESTAMP_MICROS -> rc.addLong((Long) v);
        case DATE -> rc.addInteger((Integer) v);
        case FLOAT64 -> rc.addDouble((Double) v);
        case BOOLEAN -> rc.addBoolean((Boolean) v);
        case STRING_LIST -> {
          Binary[] l = (Binary[]) v;
          list(l.length, i -> rc.addBinary(l[i]));
        }
        case INT64_LIST -> {
          List<?> l = (List<?>) v;
          list(l.size(), i -> rc.addLong((Long) l.get(i)));
        }
      }
      rc.endField(c.name(), f);
    }
    rc.endMessage();
  }

  /** A standard three-level list of {@code n} elements; an empty list has no repeated group. */
  private void list(int n, IntConsumer element) {
    rc.startGroup();
    if (n > 0) {
      rc.startField("list", 0);
      for (int i = 0; i < n; i++) {
        rc.startGroup();
        rc.startField("element", 0);
        element.accept(i);
        rc.endField("element", 0);
        rc.endGroup();
      }
      rc.endField("list", 0);
    }
    rc.endGroup();
  }
}
