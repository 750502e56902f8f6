package dev.trendlake.pipeline.io;

import dev.trendlake.transforms.row.Col;
import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.row.RowSchema;
import dev.trendlake.transforms.row.ValueType;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.io.api.Binary;

/**
 * A row's values as Parquet's column writers take them, made once per row for both of the files it
 * goes to (silver and gold): text as UTF-8 {@link Binary} ({@code STRING_LIST}: a {@code Binary[]};
 * {@code STRING_LIST_NULLABLE_ENTRIES}: the same, a null entry kept as null), {@code INT64_LIST} as
 * an array of its values, other values as they are. Indexed like the row; partition columns, which
 * live in the path, are left null.
 *
 * <p>Text of dictionary-encoded columns is interned until {@link #startFiles()}: equal text becomes
 * the same Binary, encoded once, found by the String's cached hash, so the files' dictionaries
 * ({@link InternedDictionaryWriter}) find their entries by identity and never hash the bytes.
 * Columns stored plain ({@link RowSchema#plainColumns}, unique per row) are encoded without.
 */
final class ParquetValues {
  private final Col<?>[] cols;
  private final boolean[] interned;
  private final Map<String, Binary> texts = new HashMap<>();

  ParquetValues(RowSchema schema) {
    this.cols =
        schema.cols().stream().filter(c -> c.role() != Col.Role.PARTITION).toArray(Col<?>[]::new);
    this.interned = new boolean[schema.size()];
    for (Col<?> c : cols) {
      interned[c.index()] =
          (c.type() == ValueType.STRING
                  || c.type() == ValueType.STRING_LIST
                  || c.type() == ValueType.STRING_LIST_NULLABLE_ENTRIES)
              && !schema.plainColumns().contains(c.name());
    }
  }

  /** Forgets the interned text: call before the rows of a new set of files. */
  void startFiles() {
    texts.clear();
  }

  Object[] of(Row r) {
    Object[] out = new Object[r.size()];
    for (Col<?> c : cols) {
      Object v = r.value(c.index());
      boolean intern = interned[c.index()];
      out[c.index()] =
          switch (c.type()) {
            case STRING -> v == null ? null : text((String) v, intern);
            case STRING_LIST, STRING_LIST_NULLABLE_ENTRIES -> {
              List<?> l = (List<?>) v;
              Binary[] b = new Binary[l.size()];
              for (int i = 0; i < b.length; i++) {
                Object x = l.get(i);
                b[i] = x == null ? null : text((String) x, intern);
              }
              yield b;
            }
            case INT64_LIST -> ((List<?>) v).toArray();
            default -> v;
          };
    }
    return out;
  }

  private Binary text(String s, boolean intern) {
    if (!intern) {
      return utf8(s);
    }
    Binary b = texts.get(s);
    if (b == null) {
      b = utf8(s);
      texts.put(s, b);
    }
    return b;
  }

  private static Binary utf8(String s) {
    return Binary.fromConstantByteArray(s.getBytes(StandardCharsets.UTF_8));
  }
}
