package dev.trendlake.transforms.coders;

import dev.trendlake.transforms.row.Partition;
import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.row.RowSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.util.VarInt;

/** Coder for a whole {@link Partition} of rows of one schema. */
public final class PartitionCoder extends CustomCoder<Partition> {
  private static final long serialVersionUID = 1L;

  private final RowCoder rows;

  private PartitionCoder(RowSchema schema) {
    this.rows = RowCoder.of(schema);
  }

  public static PartitionCoder of(RowSchema schema) {
    return new PartitionCoder(schema);
  }

  @Override
  public void encode(Partition p, OutputStream out) throws IOException {
    Io.writeString(out, p.path());
    Io.writeString(out, p.group());
    VarInt.encode(p.rows().size(), out);
    for (Row r : p.rows()) {
      rows.encode(r, out);
    }
  }

  @Override
  public Partition decode(InputStream in) throws IOException {
    String path = Io.readString(in);
    String group = Io.readString(in);
    int n = VarInt.decodeInt(in);
    List<Row> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      list.add(rows.decode(in));
    }
    return new Partition(path, group, list);
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean equals(Object o) {
    return o instanceof PartitionCoder c && c.rows.equals(rows);
  }

  @Override
  public int hashCode() {
    return rows.hashCode();
  }
}
