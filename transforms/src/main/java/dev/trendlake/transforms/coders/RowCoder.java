package dev.trendlake.transforms.coders;

import dev.trendlake.transforms.row.Col;
import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.row.RowSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.util.VarInt;

/**
 * Compact, deterministic coder for the {@link Row rows} of one {@link RowSchema}: each value in
 * column order, by its type, nullable ones behind a one-byte marker; then the source size. Written
 * from the schema, so a new column needs no coder change.
 */
public final class RowCoder extends CustomCoder<Row> {
  private static final long serialVersionUID = 1L;

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
    for (Col<?> c : cols) {
      Object v = r.value(c.index());
      if (c.nullable()) {
        if (v == null) {
          out.write(0);
          continue;
        }
        out.write(1);
      } else if (v == null) {
        throw new CoderException("column " + c.name() + " of " + schema.name() + " is null");
      }
      switch (c.type()) {
        case STRING -> Io.writeString(out, (String) v);
        case INT64, TIMESTAMP_MICROS -> VarInt.encode(Io.zigZag((Long) v), out);
        case DATE -> VarInt.encode(Io.zigZag((Integer) v), out);
        case FLOAT64 -> Io.writeDouble(out, (Double) v);
        case BOOLEAN -> out.write((Boolean) v ? 1 : 0);
        case STRING_LIST -> {
          @SuppressWarnings("unchecked")
          List<String> l = (List<String>) v;
          VarInt.encode(l.size(), out);
          for (String s : l) {
            Io.writeString(out, s);
          }
        }
        case INT64_LIST -> {
          @SuppressWarnings("unchecked")
          List<Long> l = (List<Long>) v;
          VarInt.encode(l.size(), out);
          for (Long x : l) {
            VarInt.encode(Io.zigZag(x), out);
          }
        }
        case STRING_LIST_NULLABLE_ENTRIES -> {
          @SuppressWarnings("unchecked")
          List<String> l = (List<String>) v;
          VarInt.encode(l.size(), out);
          for (String s : l) {
            out.write(s == null ? 0 : 1);
            if (s != null) {
              Io.writeString(out, s);
            }
          }
        }
      }
    }
    VarInt.encode(r.sourceBytes(), out);
  }

  @Override
  public Row decode(InputStream in) throws IOException {
    Object[] values = new Object[cols.length];
    for (Col<?> c : cols) {
      if (c.nullable()) {
        int m = in.read();
        if (m < 0) {
          throw new CoderException("end of input inside a " + schema.name() + " row");
        }
        if (m == 0) {
          continue;
        }
      }
      values[c.index()] =
          switch (c.type()) {
            case STRING -> Io.readString(in);
            case INT64, TIMESTAMP_MICROS -> Io.unZigZag(VarInt.decodeLong(in));
            case DATE -> (int) Io.unZigZag(VarInt.decodeLong(in));
            case FLOAT64 -> Io.readDouble(in);
            case BOOLEAN -> in.read() == 1;
            case STRING_LIST -> {
              int n = VarInt.decodeInt(in);
              if (n == 0) {
                yield Collections.emptyList();
              }
              List<String> l = new ArrayList<>(n);
              for (int i = 0; i < n; i++) {
                l.add(Io.readString(in));
              }
              yield Collections.unmodifiableList(l);
            }
            case INT64_LIST -> {
              int n = VarInt.decodeInt(in);
              List<Long> l = new ArrayList<>(n);
              for (int i = 0; i < n; i++) {
                l.add(Io.unZigZag(VarInt.decodeLong(in)));
              }
              yield Collections.unmodifiableList(l);
            }
            case STRING_LIST_NULLABLE_ENTRIES -> {
              int n = VarInt.decodeInt(in);
              List<String> l = new ArrayList<>(n);
              for (int i = 0; i < n; i++) {
                l.add(in.read() == 1 ? Io.readString(in) : null);
              }
              yield Collections.unmodifiableList(l);
            }
          };
    }
    return new Row(values, VarInt.decodeInt(in));
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
