package dev.trendlake.pipeline.continuous;

import dev.trendlake.pipeline.io.BronzeMetadataCoder;
import java.io.IOException;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.values.KV;

/** Encodes a listing with the metadata coder that keeps every part of the change token. */
final class CategoryListingCoder extends org.apache.beam.sdk.coders.CustomCoder<CategoryListing> {
  private static final CategoryListingCoder INSTANCE = new CategoryListingCoder();
  private static final KvCoder<Long, List<MatchResult.Metadata>> CODER =
      KvCoder.of(VarLongCoder.of(), ListCoder.of(BronzeMetadataCoder.of()));

  static CategoryListingCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(CategoryListing l, java.io.OutputStream out) throws IOException {
    CODER.encode(KV.of(l.generation(), l.files()), out);
  }

  @Override
  public CategoryListing decode(java.io.InputStream in) throws IOException {
    KV<Long, List<MatchResult.Metadata>> kv = CODER.decode(in);
    return new CategoryListing(kv.getKey(), kv.getValue());
  }
}
