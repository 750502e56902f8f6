package dev.trendlake.transforms.coders;

import dev.trendlake.transforms.model.Category;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.util.VarInt;

/** Coder for {@link Category}. */
public final class CategoryCoder extends AtomicCoder<Category> {
  private static final CategoryCoder INSTANCE = new CategoryCoder();

  public static CategoryCoder of() {
    return INSTANCE;
  }

  private CategoryCoder() {}

  @Override
  public void encode(Category c, OutputStream out) throws IOException {
    Io.writeString(out, c.region());
    VarInt.encode(c.categoryId(), out);
    Io.writeString(out, c.title());
    Io.writeNullableBoolean(out, c.assignable());
    Io.writeString(out, c.channelId());
    Io.writeString(out, c.sourceFile());
  }

  @Override
  public Category decode(InputStream in) throws IOException {
    return new Category(
        Io.readString(in),
        VarInt.decodeLong(in),
        Io.readString(in),
        Io.readNullableBoolean(in),
        Io.readString(in),
        Io.readString(in));
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}
