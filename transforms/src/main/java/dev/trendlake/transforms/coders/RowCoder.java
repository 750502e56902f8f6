package dev.trendlake.transforms.coders;

import dev.trendlake.transforms.row.Col;
import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.row.RowSchema;
import dev.trendlake.transforms.row.ValueType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.util.VarInt;

/**
 * Compact, deterministic coder for the {@link Row rows} of one {@link RowSchema}: the row's length,
 * then each value in column order, by its type, nullable ones behind a one-byte marker; then the
 * source size. Written from the schema, so a new column needs no coder change.
 *
 * <p>A row is put together in a per-thread buffer ({@link RowBytes}) and crosses the stream in one
 * write, and is read back in one read (hence the length in front): Beam's coder utilities hand a
 * coder synchronized byte-array streams, and a call per byte of every number and marker was most of
 * the cost of encoding a row for the shuffle (docs/benchmark.md).
 */
public final class RowCoder extends CustomCoder<Row> {
  private static final long serialVersionUID = 1L;

  private static final ThreadLocal<RowBytes> SCRATCH = ThreadLocal.withInitial(RowBytes::new);

  private final RowSchema schema;
  private final transient Col<?>[] cols;

  private RowCoder(RowSchema schema) {
    this.schema = schema;
    this.cols = schema.cols().toArray(new Col<?>[0]);
  }

  public static RowCoder of(RowSchema schema) {
    return new RowCoder(schema);
  }

  private Object readResolve() {
    return new RowCoder(schema);
  }

  @Override
  public void encode(Row r, OutputStream out) throws IOException {
    RowBytes b = SCRATCH.get();
    b.startWrite();
    for (Col<?> c : cols) {
      Object v = r.value(c.index());
      if (c.nullable()) {
        if (v == null) {
          b.putByte(0);
          continue;
        }
        b.putByte(1);
      } else if (v == null) {
        throw new CoderException("column " + c.name() + " of " + schema.name() + " is null");
      }
      switch (c.type()) {
        case STRING -> b.putText((String) v);
        case INT64, TIMESTAMP_MICROS -> b.putZigZag((Long) v);
        case DATE -> b.putZigZag((Integer) v);
        case FLOAT64 -> b.putDouble((Double) v);
        case BOOLEAN -> b.putByte((Boolean) v ? 1 : 0);
        case STRING_LIST, INT64_LIST -> {
          List<?> l = (List<?>) v;
          b.putVarLong(l.size());
          for (Object x : l) {
            if (x instanceof String s) {
              b.putText(s);
            } else {
              b.putZigZag((Long) x);
            }
          }
        }
        case STRING_LIST_NULLABLE_ENTRIES -> {
          List<?> l = (List<?>) v;
          b.putVarLong(l.size());
          for (Object x : l) {
            if (x == null) {
              b.putByte(0);
            } else {
              b.putByte(1);
              b.putText((String) x);
            }
          }
        }
      }
    }
    b.putVarLong(r.sourceBytes());
    int start = b.finishWrite();
    out.write(b.buf, start, b.pos - start);
  }

  @Override
  public Row decode(InputStream in) throws IOException {
    int n = VarInt.decodeInt(in);
    RowBytes b = SCRATCH.get();
    b.startRead(n);
    Io.readFully(in, b.buf, n);
    Object[] values = new Object[cols.length];
    for (Col<?> c : cols) {
      if (c.nullable() && b.getByte() == 0) {
        continue;
      }
      values[c.index()] =
          switch (c.type()) {
            case STRING -> b.getText();
            case INT64, TIMESTAMP_MICROS -> b.getZigZag();
            case DATE -> (int) b.getZigZag();
            case FLOAT64 -> b.getDouble();
            case BOOLEAN -> b.getByte() == 1;
            case STRING_LIST, INT64_LIST -> {
              int size = (int) b.getVarLong();
              if (size == 0) {
                yield Collections.emptyList();
              }
              Object[] l = new Object[size];
              for (int i = 0; i < size; i++) {
                l[i] = c.type() == ValueType.STRING_LIST ? b.getText() : (Object) b.getZigZag();
              }
              yield Collections.unmodifiableList(Arrays.asList(l));
            }
            case STRING_LIST_NULLABLE_ENTRIES -> {
              int size = (int) b.getVarLong();
              if (size == 0) {
                yield Collections.emptyList();
              }
              String[] l = new String[size];
              for (int i = 0; i < size; i++) {
                l[i] = b.getByte() == 1 ? b.getText() : null;
              }
              yield Collections.unmodifiableList(Arrays.asList(l));
            }
          };
    }
    int sourceBytes = (int) b.getVarLong();
    if (b.pos != n) {
      throw new CoderException(
          "a " + schema.name() + " row of " + n + " bytes decoded to " + b.pos + " bytes");
    }
    return new Row(values, sourceBytes);
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean consistentWithEquals() {
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RowCoder c && c.schema.name().equals(schema.name());
  }

  @Override
  public int hashCode() {
    return schema.name().hashCode();
  }
}
