package dev.trendlake.transforms.coders;

import dev.trendlake.transforms.model.RawStatistic;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.util.VarInt;

/** Coder for {@link RawStatistic}: only used where a runner materialises parsed records. */
public final class RawStatisticCoder extends AtomicCoder<RawStatistic> {
  private static final RawStatisticCoder INSTANCE = new RawStatisticCoder();

  public static RawStatisticCoder of() {
    return INSTANCE;
  }

  private RawStatisticCoder() {}

  @Override
  public void encode(RawStatistic r, OutputStream out) throws IOException {
    Io.writeString(out, r.sourceFile());
    Io.writeString(out, r.region());
    VarInt.encode(r.line(), out);
    VarInt.encode(r.values().length, out);
    for (String v : r.values()) {
      Io.writeString(out, v);
    }
    Io.writeBytes(out, r.raw());
  }

  @Override
  public RawStatistic decode(InputStream in) throws IOException {
    String file = Io.readString(in);
    String region = Io.readString(in);
    long line = VarInt.decodeLong(in);
    String[] values = new String[VarInt.decodeInt(in)];
    for (int i = 0; i < values.length; i++) {
      values[i] = Io.readString(in);
    }
    return new RawStatistic(file, region, line, values, Io.readBytes(in));
  }

  @Override
  public void verifyDeterministic() {}
}
