package dev.trendlake.transforms.coders;

import dev.trendlake.transforms.tally.FileTally;
import dev.trendlake.transforms.tally.RegionTally;
import dev.trendlake.transforms.tally.RunTally;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.util.VarInt;

/**
 * Compact, deterministic coder for {@link RunTally}.
 *
 * <p>Why not SerializableCoder: the DirectRunner copies a key's whole bag of values through the
 * coder each time a bundle adds to it, and the tallies of a run all meet under one key in the final
 * merge. With Java serialization (class descriptors, reflection, TreeMap.writeObject) that copying
 * was a third of a DirectRunner run's CPU; this coder writes the maps as plain lengths and strings,
 * in their sorted order.
 */
public final class RunTallyCoder extends AtomicCoder<RunTally> {
  private static final RunTallyCoder INSTANCE = new RunTallyCoder();

  public static RunTallyCoder of() {
    return INSTANCE;
  }

  private RunTallyCoder() {}

  @Override
  public void encode(RunTally t, OutputStream out) throws IOException {
    VarInt.encode(t.files().size(), out);
    for (FileTally f : t.files().values()) {
      Io.writeString(out, f.path());
      Io.writeString(out, f.kind());
      Io.writeString(out, f.region());
      Io.writeString(out, f.layout());
      VarInt.encode(f.records(), out);
      VarInt.encode(f.silver(), out);
      VarInt.encode(f.duplicates(), out);
      VarInt.encode(f.encodingRepairs(), out);
      VarInt.encode(f.quarantined().size(), out);
      for (Map.Entry<String, Long> q : f.quarantined().entrySet()) {
        Io.writeString(out, q.getKey());
        VarInt.encode(q.getValue(), out);
      }
    }
    VarInt.encode(t.regions().size(), out);
    for (Map.Entry<String, RegionTally> e : t.regions().entrySet()) {
      Io.writeString(out, e.getKey());
      RegionTally r = e.getValue();
      VarInt.encode(r.silver(), out);
      VarInt.encode(r.gold(), out);
      VarInt.encode(r.unknownCategory(), out);
      VarInt.encode(r.categories(), out);
    }
    writeMap(out, t.skipped());
    writeMap(out, t.plan().staged());
    writeMap(out, t.plan().replaced());
  }

  @Override
  public RunTally decode(InputStream in) throws IOException {
    RunTally.Builder t = RunTally.builder();
    int files = VarInt.decodeInt(in);
    for (int i = 0; i < files; i++) {
      FileTally.Builder f = t.file(Io.readString(in), Io.readString(in));
      f.region(Io.readString(in)).layout(Io.readString(in));
      f.records(VarInt.decodeLong(in));
      f.silver(VarInt.decodeLong(in));
      f.duplicates(VarInt.decodeLong(in));
      f.encodingRepairs(VarInt.decodeLong(in));
      int reasons = VarInt.decodeInt(in);
      for (int q = 0; q < reasons; q++) {
        f.quarantined(Io.readString(in), VarInt.decodeLong(in));
      }
    }
    int regions = VarInt.decodeInt(in);
    for (int i = 0; i < regions; i++) {
      t.region(
          Io.readString(in),
          new RegionTally(
              VarInt.decodeLong(in),
              VarInt.decodeLong(in),
              VarInt.decodeLong(in),
              VarInt.decodeLong(in)));
    }
    int skipped = VarInt.decodeInt(in);
    for (int i = 0; i < skipped; i++) {
      t.skip(Io.readString(in), Io.readString(in));
    }
    int staged = VarInt.decodeInt(in);
    for (int i = 0; i < staged; i++) {
      t.stage(Io.readString(in), Io.readString(in));
    }
    int replaced = VarInt.decodeInt(in);
    for (int i = 0; i < replaced; i++) {
      t.replace(Io.readString(in), Io.readString(in));
    }
    return t.build();
  }

  private static void writeMap(OutputStream out, Map<String, String> m) throws IOException {
    VarInt.encode(m.size(), out);
    for (Map.Entry<String, String> e : m.entrySet()) {
      Io.writeString(out, e.getKey());
      Io.writeString(out, e.getValue());
    }
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}
