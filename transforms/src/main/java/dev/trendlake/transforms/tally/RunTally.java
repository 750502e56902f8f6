package dev.trendlake.transforms.tally;

import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A run's bookkeeping as data, not as metrics: the counts (per input file, per region, per
 * partition written), the bronze entries the run did not read and why ({@code skipped}, path
 * relative to the bronze root to the reason), and the commit plan, kept apart. Steps emit small
 * tallies (one per file, partition or bundle), a single combine adds them up, and the finishing
 * step reconciles the counts, then carries out the plan. Metrics would be runner-dependent
 * (committed vs attempted); data is the same on every runner. Immutable; a step builds its tally
 * with {@link Builder}.
 *
 * @param quality per group (region), the statistics the data-quality rules read ({@link
 *     QualityStats})
 */
public record RunTally(
    SortedMap<String, FileTally> files,
    SortedMap<String, RegionTally> regions,
    SortedMap<String, PartitionTally> partitions,
    SortedMap<String, String> skipped,
    CommitPlan plan,
    SortedMap<String, QualityStats> quality)
    implements Serializable {

  public static final RunTally EMPTY =
      new RunTally(new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), CommitPlan.EMPTY);

  public RunTally {
    files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
    regions = Collections.unmodifiableSortedMap(new TreeMap<>(regions));
    partitions = Collections.unmodifiableSortedMap(new TreeMap<>(partitions));
    skipped = Collections.unmodifiableSortedMap(new TreeMap<>(skipped));
    quality = Collections.unmodifiableSortedMap(new TreeMap<>(quality));
  }

  /** A tally without skipped entries or quality statistics. */
  public RunTally(
      SortedMap<String, FileTally> files,
      SortedMap<String, RegionTally> regions,
      SortedMap<String, PartitionTally> partitions,
      CommitPlan plan) {
    this(files, regions, partitions, new TreeMap<>(), plan, new TreeMap<>());
  }

  public static Builder builder() {
    return new Builder();
  }

  public boolean isEmpty() {
    return files.isEmpty()
        && regions.isEmpty()
        && partitions.isEmpty()
        && skipped.isEmpty()
        && plan.isEmpty()
        && quality.isEmpty();
  }

  public RegionTally region(String region) {
    return regions.getOrDefault(region, RegionTally.ZERO);
  }

  public RunTally plus(RunTally o) {
    return builder().add(this).add(o).build();
  }

  /** A tally being built, or the accumulator of a merge (adding is linear in what is added). */
  public static final class Builder {
    private final TreeMap<String, FileTally.Builder> files = new TreeMap<>();
    private final TreeMap<String, RegionTally> regions = new TreeMap<>();
    private final TreeMap<String, PartitionTally> partitions = new TreeMap<>();
    private final TreeMap<String, String> skipped = new TreeMap<>();
    private final TreeMap<String, String> staged = new TreeMap<>();
    private final TreeMap<String, String> replaced = new TreeMap<>();
    private final TreeMap<String, QualityStats> quality = new TreeMap<>();

    /** The tally of {@code path}, made on first use. */
    public FileTally.Builder file(String path, String kind) {
      return files.computeIfAbsent(path, p -> new FileTally.Builder(p, kind));
    }

    public Builder region(String region, RegionTally add) {
      regions.merge(region, add, RegionTally::plus);
      return this;
    }

    /** What a partition holds after this run wrote it (each partition is written once a run). */
    public Builder partition(String path, PartitionTally p) {
      partitions.put(path, p);
      return this;
    }

    /** Quality statistics of {@code group}, added to what it has. */
    public Builder quality(String group, QualityStats add) {
      quality.merge(group, add, QualityStats::plus);
      return this;
    }

    /** A bronze entry the run did not read, and why (a sentence naming what to fix). */
    public Builder skip(String path, String reason) {
      skipped.put(path, reason);
      return this;
    }

    /** A file written to {@code stagingPath}, to be moved to {@code finalPath} by the commit. */
    public Builder stage(String stagingPath, String finalPath) {
      staged.put(stagingPath, finalPath);
      return this;
    }

    /** An output folder this run replaces, owning the files of {@code extension} in it. */
    public Builder replace(String folder, String extension) {
      replaced.put(folder, extension);
      return this;
    }

    /** The folder's extension unless it is already planned. */
    public Builder replaceIfAbsent(String folder, String extension) {
      replaced.putIfAbsent(folder, extension);
      return this;
    }

    public Builder add(RunTally t) {
      for (Map.Entry<String, FileTally> e : t.files().entrySet()) {
        file(e.getKey(), e.getValue().kind()).add(e.getValue());
      }
      t.regions().forEach(this::region);
      partitions.putAll(t.partitions());
      skipped.putAll(t.skipped());
      staged.putAll(t.plan().staged());
      replaced.putAll(t.plan().replaced());
      t.quality().forEach(this::quality);
      return this;
    }

    public RunTally build() {
      TreeMap<String, FileTally> f = new TreeMap<>();
      files.forEach((k, v) -> f.put(k, v.build()));
      return new RunTally(
          f, regions, partitions, skipped, new CommitPlan(staged, replaced), quality);
    }
  }
}
