package dev.trendlake.pipeline.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * A matched file's metadata with everything its change token is made of. Beam's coders drop the
 * checksum (the S3 ETag), and its default one the modification time too, so on a runner that
 * encodes every element (Flink) a file would look changed to the next incremental run. Set on the
 * listing; the readers take this metadata as it is (not {@code FileIO.readMatches}, which rebuilds
 * it without the checksum).
 */
public final class BronzeMetadataCoder extends AtomicCoder<MatchResult.Metadata> {
  private static final BronzeMetadataCoder INSTANCE = new BronzeMetadataCoder();
  private static final NullableCoder<String> CHECKSUM = NullableCoder.of(StringUtf8Coder.of());

  private BronzeMetadataCoder() {}

  public static BronzeMetadataCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(MatchResult.Metadata m, OutputStream out) throws IOException {
    StringUtf8Coder.of().encode(m.resourceId().toString(), out);
    BooleanCoder.of().encode(m.resourceId().isDirectory(), out);
    BooleanCoder.of().encode(m.isReadSeekEfficient(), out);
    VarLongCoder.of().encode(m.sizeBytes(), out);
    VarLongCoder.of().encode(m.lastModifiedMillis(), out);
    CHECKSUM.encode(m.checksum(), out);
  }

  @Override
  public MatchResult.Metadata decode(InputStream in) throws IOException {
    String id = StringUtf8Coder.of().decode(in);
    boolean directory = BooleanCoder.of().decode(in);
    return MatchResult.Metadata.builder()
        .setResourceId(FileSystems.matchNewResource(id, directory))
        .setIsReadSeekEfficient(BooleanCoder.of().decode(in))
        .setSizeBytes(VarLongCoder.of().decode(in))
        .setLastModifiedMillis(VarLongCoder.of().decode(in))
        .setChecksum(CHECKSUM.decode(in))
        .build();
  }

  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}
