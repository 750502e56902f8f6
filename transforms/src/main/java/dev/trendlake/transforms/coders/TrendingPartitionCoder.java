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
    return new TrendingPartition(region, date, rows);
  }

  @Override
  public void verifyDeterministic() {}
}
