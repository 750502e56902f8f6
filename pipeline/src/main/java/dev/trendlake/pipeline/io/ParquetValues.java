package dev.trendlake.pipeline.io;

import dev.trendlake.transforms.row.Col;
import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.row.RowSchema;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.parquet.io.api.Binary;

/**
 * A row's values as Parquet's column writers take them, made once per row for both of the files it
 * goes to (silver and gold): text encoded to UTF-8 once, as a {@link Binary} ({@code STRING_LIST}:
 * a {@code Binary[]}); {@code INT64_LIST} as an array of its values; other values as they are.
 * Indexed like the row; partition columns, which live in the path, are left null.
 */
final class ParquetValues {
  private final Col<?>[] cols;

  ParquetValues(RowSchema schema) {
    this.cols =
        schema.cols().stream().filter(c -> c.role() != Col.Role.PARTITION).toArray(Col<?>[]::new);
  }

  Object[] of(Row r) {
    Object[] out = new Object[r.size()];
    for (Col<?> c : cols) {
      Object v = r.value(c.index());
      out[c.index()] =
          switch (c.type()) {
            case STRING -> v == null ? null : utf8((String) v);
            case STRING_LIST -> {
              List<?> l = (List<?>) v;
              Binary[] b = new Binary[l.size()];
              for (int i = 0; i < b.length; i++) {
                b[i] = utf8((String) l.get(i));
              }
              yield b;
            }
            case INT64_LIST -> ((List<?>) v).toArray();
            default -> v;
          };
    }
    return out;
  }

  static Binary utf8(String s) {
    return Binary.fromConstantByteArray(s.getBytes(StandardCharsets.UTF_8));
  }
}
