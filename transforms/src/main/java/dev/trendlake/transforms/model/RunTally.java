package dev.trendlake.transforms.model;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * The run's bookkeeping as data, not as metrics: per input file, per region and per output file.
 * Steps emit small tallies (one per file, partition or bundle), a single combine merges them, and
 * the finishing step reconciles, commits and writes the manifest from the merged result. Metrics
 * would be runner-dependent (committed vs attempted); data is the same on every runner.
 */
public final class RunTally implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Per-region counts of rows written and categories left unmatched. */
  public static final class RegionTally implements Serializable {
    private static final long serialVersionUID = 1L;
    public long silver;
    public long gold;
    public long unknownCategory;
    public long categories;

    @Override
    public boolean equals(Object o) {
      return o instanceof RegionTally r
          && silver == r.silver
          && gold == r.gold
          && unknownCategory == r.unknownCategory
          && categories == r.categories;
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(silver, gold, unknownCategory, categories);
    }

    void merge(RegionTally o) {
      silver += o.silver;
      gold += o.gold;
      unknownCategory += o.unknownCategory;
      categories += o.categories;
    }
  }

  public final TreeMap<String, FileTally> files = new TreeMap<>();
  public final TreeMap<String, RegionTally> regions = new TreeMap<>();

  /** Files written to the staging area by this run: staging path to final path. */
  public final TreeMap<String, String> staged = new TreeMap<>();

  /** Output partition folders this run replaces: final folder to the file name pattern it owns. */
  public final TreeMap<String, String> partitions = new TreeMap<>();

  public FileTally file(String path, String kind) {
    return files.computeIfAbsent(path, p -> new FileTally(p, kind));
  }

  public RegionTally region(String region) {
    return regions.computeIfAbsent(region, r -> new RegionTally());
  }

  public boolean isEmpty() {
    return files.isEmpty() && regions.isEmpty() && staged.isEmpty() && partitions.isEmpty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RunTally t
        && files.equals(t.files)
        && regions.equals(t.regions)
        && staged.equals(t.staged)
        && partitions.equals(t.partitions);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(files, regions, staged, partitions);
  }

  public RunTally merge(RunTally o) {
    for (Map.Entry<String, FileTally> e : o.files.entrySet()) {
      FileTally mine = files.get(e.getKey());
      if (mine == null) {
        FileTally copy = new FileTally(e.getKey(), e.getValue().kind);
        copy.merge(e.getValue());
        files.put(e.getKey(), copy);
      } else {
        mine.merge(e.getValue());
      }
    }
    for (Map.Entry<String, RegionTally> e : o.regions.entrySet()) {
      region(e.getKey()).merge(e.getValue());
    }
    staged.putAll(o.staged);
    partitions.putAll(o.partitions);
    return this;
  }
}
