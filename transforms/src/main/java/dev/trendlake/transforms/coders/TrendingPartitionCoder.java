package dev.trendlake.transforms.coders;

import dev.trendlake.transforms.model.TrendingPartition;
import dev.trendlake.transforms.model.TrendingRow;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.util.VarInt;

/** Coder for a whole {@link TrendingPartition}. */
public final class TrendingPartitionCoder extends AtomicCoder<TrendingPartition> {
  private static final TrendingPartitionCoder INSTANCE = new TrendingPartitionCoder();

  public static TrendingPartitionCoder of() {
    return INSTANCE;
  }

  private TrendingPartitionCoder() {}

  @Override
  public void encode(TrendingPartition p, OutputStream out) throws IOException {
    Io.writeString(out, p.region());
    VarInt.encode(p.trendingDate(), out);
    VarInt.encode(p.rows().size(), out);
    for (TrendingRow r : p.rows()) {
      TrendingRowCoder.of().encode(r, out);
    }
    out.write(p.categoryTitles() == null ? 0 : 1);
    if (p.categoryTitles() != null) {
      for (String t : p.categoryTitles()) {
        Io.writeString(out, t);
      }
    }
  }

  @Override
  public TrendingPartition decode(InputStream in) throws IOException {
    String region = Io.readString(in);
    int date = VarInt.decodeInt(in);
    int n = VarInt.decodeInt(in);
    List<TrendingRow> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      rows.add(TrendingRowCoder.of().decode(in));
    }
    List<String> titles = null;
    if (in.read() == 1) {
      titles = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        titles.add(Io.readString(in));
      }
    }
    return new TrendingPartition(region, date, rows, titles);
  }

  @Override
  public void verifyDeterministic() {}
}
