package dev.trendlake.transforms.coders;

import dev.trendlake.transforms.model.TrendingRow;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.util.VarInt;

/** Compact, deterministic coder for {@link TrendingRow}. */
public final class TrendingRowCoder extends AtomicCoder<TrendingRow> {
  private static final TrendingRowCoder INSTANCE = new TrendingRowCoder();

  public static TrendingRowCoder of() {
    return INSTANCE;
  }

  private TrendingRowCoder() {}

  @Override
  public void encode(TrendingRow r, OutputStream out) throws IOException {
    Io.writeString(out, r.region());
    VarInt.encode(r.trendingDate(), out);
    Io.writeString(out, r.videoId());
    Io.writeString(out, r.title());
    Io.writeString(out, r.channelTitle());
    Io.writeString(out, r.channelId());
    VarInt.encode(r.categoryId(), out);
    VarInt.encode(r.publishTimeMicros(), out);
    VarInt.encode(r.tags().size(), out);
    for (String t : r.tags()) {
      Io.writeString(out, t);
    }
    VarInt.encode(r.views(), out);
    Io.writeNullableLong(out, r.likes());
    Io.writeNullableLong(out, r.dislikes());
    Io.writeNullableLong(out, r.commentCount());
    Io.writeString(out, r.thumbnailLink());
    out.write((r.commentsDisabled() ? 1 : 0) | (r.ratingsDisabled() ? 2 : 0));
    Io.writeNullableBoolean(out, r.videoErrorOrRemoved());
    Io.writeString(out, r.description());
    Io.writeString(out, r.sourceFile());
    VarInt.encode(r.sourceLine(), out);
    VarInt.encode(r.sourceBytes(), out);
    Io.writeString(out, r.categoryTitle());
  }

  @Override
  public TrendingRow decode(InputStream in) throws IOException {
    String region = Io.readString(in);
    int date = VarInt.decodeInt(in);
    String videoId = Io.readString(in);
    String title = Io.readString(in);
    String channelTitle = Io.readString(in);
    String channelId = Io.readString(in);
    long categoryId = VarInt.decodeLong(in);
    long publish = VarInt.decodeLong(in);
    int nTags = VarInt.decodeInt(in);
    List<String> tags;
    if (nTags == 0) {
      tags = Collections.emptyList();
    } else {
      List<String> t = new ArrayList<>(nTags);
      for (int i = 0; i < nTags; i++) {
        t.add(Io.readString(in));
      }
      tags = Collections.unmodifiableList(t);
    }
    long views = VarInt.decodeLong(in);
    Long likes = Io.readNullableLong(in);
    Long dislikes = Io.readNullableLong(in);
    Long comments = Io.readNullableLong(in);
    String thumb = Io.readString(in);
    int flags = in.read();
    Boolean removed = Io.readNullableBoolean(in);
    String description = Io.readString(in);
    String sourceFile = Io.readString(in);
    long sourceLine = VarInt.decodeLong(in);
    int sourceBytes = VarInt.decodeInt(in);
    String categoryTitle = Io.readString(in);
    return new TrendingRow(
        region,
        date,
        videoId,
        title,
        channelTitle,
        channelId,
        categoryId,
        publish,
        tags,
        views,
        likes,
        dislikes,
        comments,
        thumb,
        (flags & 1) != 0,
        (flags & 2) != 0,
        removed,
        description,
        sourceFile,
        sourceLine,
        sourceBytes,
        categoryTitle);
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}
