package dev.trendlake.transforms.coders;

import dev.trendlake.transforms.tally.FileTally;
import dev.trendlake.transforms.tally.PartitionTally;
import dev.trendlake.transforms.tally.QualityStats;
import dev.trendlake.transforms.tally.RegionTally;
import dev.trendlake.transforms.tally.RunTally;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.TreeMap;
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
      VarInt.encode(f.size() + 1, out);
      Io.writeString(out, f.token());
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
    VarInt.encode(t.partitions().size(), out);
    for (Map.Entry<String, PartitionTally> e : t.partitions().entrySet()) {
      Io.writeString(out, e.getKey());
      PartitionTally p = e.getValue();
      Io.writeString(out, p.group());
      VarInt.encode(p.rows(), out);
      VarInt.encode(p.unknown(), out);
      VarInt.encode(p.files().size(), out);
      for (Map.Entry<String, PartitionTally.FileRows> f : p.files().entrySet()) {
        Io.writeString(out, f.getKey());
        VarInt.encode(f.getValue().kept(), out);
        VarInt.encode(f.getValue().duplicates(), out);
      }
    }
    writeMap(out, t.skipped());
    writeMap(out, t.plan().staged());
    writeMap(out, t.plan().replaced());
    VarInt.encode(t.quality().size(), out);
    for (Map.Entry<String, QualityStats> e : t.quality().entrySet()) {
      Io.writeString(out, e.getKey());
      QualityStats q = e.getValue();
      VarInt.encode(q.rows(), out);
      VarInt.encode(q.newestDay(), out);
      VarInt.encode(q.steps(), out);
      VarInt.encode(q.decreases(), out);
      VarInt.encode(q.nulls().size(), out);
      for (Map.Entry<String, Long> n : q.nulls().entrySet()) {
        Io.writeString(out, n.getKey());
        VarInt.encode(n.getValue(), out);
      }
    }
  }

  @Override
  public RunTally decode(InputStream in) throws IOException {
    RunTally.Builder t = RunTally.builder();
    int files = VarInt.decodeInt(in);
    for (int i = 0; i < files; i++) {
      FileTally.Builder f = t.file(Io.readString(in), Io.readString(in));
      f.region(Io.readString(in)).layout(Io.readString(in));
      long size = VarInt.decodeLong(in) - 1;
      String token = Io.readString(in);
      if (token != null) {
        f.read(size, token);
      }
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
    int partitions = VarInt.decodeInt(in);
    for (int i = 0; i < partitions; i++) {
      String path = Io.readString(in);
      String group = Io.readString(in);
      long rows = VarInt.decodeLong(in);
      long unknown = VarInt.decodeLong(in);
      int n = VarInt.decodeInt(in);
      TreeMap<String, PartitionTally.FileRows> sources = new TreeMap<>();
      for (int k = 0; k < n; k++) {
        sources.put(
            Io.readString(in),
            new PartitionTally.FileRows(VarInt.decodeLong(in), VarInt.decodeLong(in)));
      }
      t.partition(path, new PartitionTally(group, rows, unknown, sources));
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
    int groups = VarInt.decodeInt(in);
    for (int i = 0; i < groups; i++) {
      String group = Io.readString(in);
      long rows = VarInt.decodeLong(in);
      int newest = VarInt.decodeInt(in);
      long steps = VarInt.decodeLong(in);
      long decreases = VarInt.decodeLong(in);
      int columns = VarInt.decodeInt(in);
      TreeMap<String, Long> nulls = new TreeMap<>();
      for (int n = 0; n < columns; n++) {
        nulls.put(Io.readString(in), VarInt.decodeLong(in));
      }
      t.quality(group, new QualityStats(rows, newest, nulls, steps, decreases));
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
