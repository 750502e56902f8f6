package dev.trendlake.pipeline.commit;

import dev.trendlake.transforms.BronzePaths;
import dev.trendlake.transforms.coders.RejectedCoder;
import dev.trendlake.transforms.coders.RowCoder;
import dev.trendlake.transforms.coders.RunTallyCoder;
import dev.trendlake.transforms.model.Rejected;
import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.tally.FileTally;
import dev.trendlake.transforms.tally.RunTally;
import dev.trendlake.transforms.youtube.CategoryColumns;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * All category files as one read of them sees them, the way a batch run reads them (whole, every
 * run): the categories kept per (region, category_id), the rejected items, the tallies of every
 * file (records, quarantine, silver and duplicates, categories per region) and each file's change
 * token, which the commit compares with the lake's state to find the regions whose gold must be
 * joined again.
 *
 * @param generation the watcher's listing number: a newer snapshot replaces an older one
 */
public record CategorySnapshot(
    long generation,
    List<Row> categories,
    List<Rejected> rejected,
    RunTally tally,
    SortedMap<String, String> tokens) {

  public CategorySnapshot {
    categories = List.copyOf(categories);
    rejected = List.copyOf(rejected);
    tokens = Collections.unmodifiableSortedMap(new TreeMap<>(tokens));
  }

  /** Title by (region, category_id) key, as {@link CategoryColumns#join} reads it. */
  public Map<String, String> titles() {
    TreeMap<String, String> out = new TreeMap<>();
    for (Row c : categories) {
      out.put(CategoryColumns.key(c), c.get(CategoryColumns.TITLE));
    }
    return out;
  }

  /** Regions whose category files are new, changed or gone since the lake's committed state. */
  public TreeSet<String> changedRegions(LakeState state) {
    TreeMap<String, FileTally> committed = new TreeMap<>();
    for (FileTally f : state.files().values()) {
      if (Rejected.CATEGORIES.equals(f.kind())) {
        committed.put(f.path(), f);
      }
    }
    TreeSet<String> paths = new TreeSet<>(committed.keySet());
    paths.addAll(tokens.keySet());
    TreeSet<String> out = new TreeSet<>();
    for (String path : paths) {
      FileTally was = committed.get(path);
      if (was == null || !Objects.equals(was.token(), tokens.get(path))) {
        String region = BronzePaths.categoryRegion(path);
        region = region != null ? region : was == null ? null : was.region();
        if (region != null && !"unknown".equals(region)) {
          out.add(region);
        }
      }
    }
    return out;
  }

  /** The snapshot's coder: rows and rejects with the project's coders. */
  public static final class Coder extends CustomCoder<CategorySnapshot> {
    private static final Coder INSTANCE = new Coder();
    private static final ListCoder<Row> ROWS = ListCoder.of(RowCoder.of(CategoryColumns.SCHEMA));
    private static final ListCoder<Rejected> REJECTED = ListCoder.of(RejectedCoder.of());
    private static final MapCoder<String, String> TOKENS =
        MapCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of());

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(CategorySnapshot s, OutputStream out) throws IOException {
      VarLongCoder.of().encode(s.generation(), out);
      ROWS.encode(s.categories(), out);
      REJECTED.encode(s.rejected(), out);
      RunTallyCoder.of().encode(s.tally(), out);
      TOKENS.encode(s.tokens(), out);
    }

    @Override
    public CategorySnapshot decode(InputStream in) throws IOException {
      return new CategorySnapshot(
          VarLongCoder.of().decode(in),
          ROWS.decode(in),
          REJECTED.decode(in),
          RunTallyCoder.of().decode(in),
          new TreeMap<>(TOKENS.decode(in)));
    }
  }
}
