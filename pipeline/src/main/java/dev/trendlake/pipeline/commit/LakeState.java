package dev.trendlake.pipeline.commit;

import dev.trendlake.transforms.Datasets;
import dev.trendlake.transforms.tally.FileTally;
import dev.trendlake.transforms.tally.PartitionTally;
import dev.trendlake.transforms.tally.RegionTally;
import dev.trendlake.transforms.tally.RunTally;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The committed state of the lake: every bronze file processed (its size, change token and what
 * became of its records) and every partition written (its rows and each source file's share). It is
 * the bookmark of incremental runs: it lives in the manifest ({@code latest.json}), written by the
 * same commit as the data, so it can't drift from what the lake holds.
 *
 * <p>A file's silver and duplicate counts are not stored but summed over the partitions, so a run
 * that rewrites a partition replaces that partition's share and nothing else, and the counts of
 * files it did not read stay right.
 *
 * @param files by path relative to the bronze root
 * @param partitions by Hive partition path ({@code region=us/trending_date=2017-11-14})
 * @param categories categories read per region, from the last run (category files are read whole
 *     every run)
 */
public record LakeState(
    SortedMap<String, FileTally> files,
    SortedMap<String, PartitionTally> partitions,
    SortedMap<String, Long> categories)
    implements Serializable {

  public static final LakeState EMPTY =
      new LakeState(new TreeMap<>(), new TreeMap<>(), new TreeMap<>());

  public LakeState {
    files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
    partitions = Collections.unmodifiableSortedMap(new TreeMap<>(partitions));
    categories = Collections.unmodifiableSortedMap(new TreeMap<>(categories));
  }

  public boolean isEmpty() {
    return files.isEmpty() && partitions.isEmpty();
  }

  /**
   * The lake after a run committed {@code run}: files it read replace their entries (category files
   * all of them: they are read whole every run), partitions it wrote replace theirs, and {@code
   * dropped} files (deleted from bronze, or changed and read again) leave.
   *
   * @param full a full run recomputes everything: nothing of the earlier state is kept
   */
  public LakeState after(RunTally run, Set<String> dropped, boolean full) {
    TreeMap<String, FileTally> f = new TreeMap<>(full ? Map.of() : files);
    TreeMap<String, PartitionTally> p = new TreeMap<>(full ? Map.of() : partitions);
    dropped.forEach(f::remove);
    boolean readCategories =
        run.files().values().stream().anyMatch(t -> Datasets.isSideKind(t.kind()));
    if (readCategories) {
      f.values().removeIf(t -> Datasets.isSideKind(t.kind()));
    }
    for (FileTally t : run.files().values()) {
      if (t.read()) {
        f.put(t.path(), counted(t));
      }
    }
    run.partitions()
        .forEach(
            (path, part) -> {
              if (part.rows() == 0) {
                p.remove(path);
              } else {
                p.put(path, part);
              }
            });
    TreeMap<String, Long> c = new TreeMap<>(readCategories ? Map.of() : categories);
    run.regions().forEach((region, r) -> c.merge(region, r.categories(), Long::sum));
    c.values().removeIf(n -> n == 0);
    return new LakeState(f, p, c);
  }

  /** Path to change token of every file of {@code kind} in the state. */
  public SortedMap<String, String> tokens(String kind) {
    TreeMap<String, String> out = new TreeMap<>();
    files
        .values()
        .forEach(
            f -> {
              if (kind.equals(f.kind())) {
                out.put(f.path(), f.token());
              }
            });
    return out;
  }

  /** A file's entry without its silver and duplicate counts, which the partitions hold. */
  private static FileTally counted(FileTally t) {
    if (Datasets.isSideKind(t.kind())) {
      return t;
    }
    return new FileTally(
        t.path(),
        t.kind(),
        t.region(),
        t.layout(),
        t.size(),
        t.token(),
        t.records(),
        0,
        t.quarantined(),
        0,
        t.encodingRepairs());
  }

  /**
   * Every file with its silver and duplicate counts summed over the partitions (category files keep
   * their own: their rows are not partitioned).
   */
  public SortedMap<String, FileTally> filesWithCounts() {
    Map<String, PartitionTally.FileRows> shares = new TreeMap<>();
    for (PartitionTally p : partitions.values()) {
      p.files().forEach((file, rows) -> shares.merge(file, rows, PartitionTally.FileRows::plus));
    }
    TreeMap<String, FileTally> out = new TreeMap<>();
    for (FileTally t : files.values()) {
      PartitionTally.FileRows r = shares.remove(t.path());
      if (r == null || Datasets.isSideKind(t.kind())) {
        out.put(t.path(), t);
      } else {
        out.put(
            t.path(),
            new FileTally.Builder(t.path(), t.kind())
                .add(t)
                .silver(r.kept())
                .duplicates(r.duplicates())
                .build());
      }
    }
    // rows whose file is not in the state: a bug upstream, shown by the reconciliation
    shares.forEach(
        (file, r) ->
            out.put(
                file,
                new FileTally.Builder(file, "unknown")
                    .silver(r.kept())
                    .duplicates(r.duplicates())
                    .build()));
    return out;
  }

  /** Rows, unknown categories and categories per region, summed over the partitions. */
  public SortedMap<String, RegionTally> regions() {
    TreeMap<String, RegionTally> out = new TreeMap<>();
    for (PartitionTally p : partitions.values()) {
      out.merge(p.group(), new RegionTally(p.rows(), p.rows(), p.unknown(), 0), RegionTally::plus);
    }
    categories.forEach((r, n) -> out.merge(r, new RegionTally(0, 0, 0, n), RegionTally::plus));
    return out;
  }

  /**
   * Every way the lake fails to add up; empty when it reconciles. Each main (non side-input) file:
   * records == quarantined + silver + duplicates, its silver and duplicates summed over every
   * partition.
   */
  public List<String> problems() {
    List<String> out = new ArrayList<>();
    for (FileTally f : filesWithCounts().values()) {
      if (!f.reconciles()) {
        out.add(f.imbalance());
      }
    }
    return out;
  }

  /** For each partition, the duplicates each source file had there: carried into a rewrite. */
  public Map<String, Map<String, Long>> carriedDuplicates(Set<String> except) {
    Map<String, Map<String, Long>> out = new TreeMap<>();
    partitions.forEach(
        (path, p) -> {
          if (except.contains(path)) {
            return;
          }
          TreeMap<String, Long> dups = new TreeMap<>();
          p.files()
              .forEach(
                  (f, r) -> {
                    if (r.duplicates() > 0) {
                      dups.put(f, r.duplicates());
                    }
                  });
          if (!dups.isEmpty()) {
            out.put(path, dups);
          }
        });
    return out;
  }
}
