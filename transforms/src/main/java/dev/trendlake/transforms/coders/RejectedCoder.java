package dev.trendlake.transforms.coders;

import dev.trendlake.transforms.model.Reason;
import dev.trendlake.transforms.model.Rejected;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.util.VarInt;

/** Coder for {@link Rejected} quarantine records. */
public final class RejectedCoder extends AtomicCoder<Rejected> {
  private static final RejectedCoder INSTANCE = new RejectedCoder();

  public static RejectedCoder of() {
    return INSTANCE;
  }

  private RejectedCoder() {}

  @Override
  public void encode(Rejected r, OutputStream out) throws IOException {
    Io.writeString(out, r.kind());
    Io.writeString(out, r.region());
    Io.writeString(out, r.sourceFile());
    VarInt.encode(r.line(), out);
    VarInt.encode(r.reason().ordinal(), out);
    Io.writeString(out, r.detail());
    Io.writeBytes(out, r.raw());
  }

  @Override
  public Rejected decode(InputStream in) throws IOException {
    return new Rejected(
        Io.readString(in),
        Io.readString(in),
        Io.readString(in),
        VarInt.decodeLong(in),
        Reason.values()[VarInt.decodeInt(in)],
        Io.readString(in),
        Io.readBytes(in));
  }

  @Override
  public void verifyDeterministic() {}
}
