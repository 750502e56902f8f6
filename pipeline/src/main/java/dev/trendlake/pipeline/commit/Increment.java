package dev.trendlake.pipeline.commit;

import java.io.Serializable;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a run does with the lake it finds, decided at launch from the committed state ({@link
 * LakeState}) and the bronze listing, and carried into the graph as explicit values.
 *
 * <ul>
 *   <li>A full run ({@code --mode=full}, or the first run on an empty output) reads every file and
 *       rewrites every partition; partitions of the earlier state that it does not write are
 *       removed.
 *   <li>An incremental run reads the statistics files not in {@link #processed} (by path and change
 *       token), merges their rows into the partitions they reach (read back from silver), and
 *       rewrites those partitions only. Files in {@link #dropped} (deleted from bronze, or changed
 *       and re-read as new under {@code --reprocess=changed}) leave the state: the partitions their
 *       rows were in ({@link #rebuild}) are rebuilt from their other source files ({@link
 *       #rebuildFiles}), read again for those partitions only, so a row that lost to a retracted
 *       one comes back exactly as a full run would keep it. Regions whose category files changed
 *       ({@link #regions}) get all their partitions rewritten, joined again.
 * </ul>
 *
 * @param state the lake as committed before this run
 * @param processed statistics files already processed, path to change token (empty for a full run)
 * @param dropped files that leave the state: deleted from bronze, or changed and read again
 * @param rebuild partitions rebuilt from their source files (they held rows of dropped files)
 * @param rebuildFiles files read again, for the {@link #rebuild} partitions only
 * @param regions regions whose categories changed: all their partitions are rewritten
 */
public record Increment(
    boolean full,
    LakeState state,
    SortedMap<String, String> processed,
    SortedSet<String> dropped,
    SortedSet<String> rebuild,
    SortedSet<String> rebuildFiles,
    SortedSet<String> regions)
    implements Serializable {

  public Increment {
    processed = new TreeMap<>(processed);
    dropped = new TreeSet<>(dropped);
    rebuild = new TreeSet<>(rebuild);
    rebuildFiles = new TreeSet<>(rebuildFiles);
    regions = new TreeSet<>(regions);
  }

  /** A full run over {@code state}: everything read and rewritten. */
  public static Increment full(LakeState state) {
    return new Increment(
        true,
        state,
        new TreeMap<>(),
        new TreeSet<>(),
        new TreeSet<>(),
        new TreeSet<>(),
        new TreeSet<>());
  }

  /** True when the run merges into committed partitions (incremental over a non-empty lake). */
  public boolean merges() {
    return !full && !state.isEmpty();
  }

  /** Committed partitions whose rows are read back and merged, when touched. */
  public SortedSet<String> mergeable() {
    TreeSet<String> out = new TreeSet<>(state.partitions().keySet());
    out.removeAll(rebuild);
    return out;
  }

  /**
   * Committed partitions of the groups whose side input changed ({@link
   * dev.trendlake.transforms.Dataset#ALL_GROUPS}: all of them), rewritten joined again.
   */
  public SortedSet<String> regionPartitions() {
    TreeSet<String> out = new TreeSet<>();
    boolean all = regions.contains(dev.trendlake.transforms.Dataset.ALL_GROUPS);
    state
        .partitions()
        .forEach(
            (path, p) -> {
              if ((all || regions.contains(p.group())) && !rebuild.contains(path)) {
                out.add(path);
              }
            });
    return out;
  }

  /** The partitions to rebuild when {@code dropped} files leave, and the other files they hold. */
  public record RebuildPlan(SortedSet<String> partitions, SortedSet<String> files) {}

  /**
   * Every partition of {@code state} holding rows of a dropped file, and the other source files of
   * those partitions, read again to rebuild them.
   */
  public static RebuildPlan rebuildOf(LakeState state, java.util.Set<String> dropped) {
    TreeSet<String> partitions = new TreeSet<>();
    TreeSet<String> files = new TreeSet<>();
    state
        .partitions()
        .forEach(
            (path, p) -> {
              if (p.files().keySet().stream().anyMatch(dropped::contains)) {
                partitions.add(path);
                files.addAll(p.files().keySet());
              }
            });
    files.removeAll(dropped);
    return new RebuildPlan(partitions, files);
  }
}
