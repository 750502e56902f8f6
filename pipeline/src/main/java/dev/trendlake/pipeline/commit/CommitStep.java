package dev.trendlake.pipeline.commit;

import dev.trendlake.pipeline.io.OutputPaths;
import dev.trendlake.pipeline.io.WriteQuarantine;
import dev.trendlake.pipeline.io.WriteSide;
import dev.trendlake.transforms.Dataset;
import dev.trendlake.transforms.tally.FileTally;
import dev.trendlake.transforms.tally.PartitionTally;
import dev.trendlake.transforms.tally.RunTally;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What a run's commit does, decided from its merged tallies and its {@link Increment}, as a pure
 * function (so it is tested without a pipeline):
 *
 * <ul>
 *   <li>the files it wrote replace their final names ({@link RunTally#plan()});
 *   <li>folders it owns whole are replaced: the side input's quarantine and silver (side files are
 *       read whole every run), and in a full run every group's quarantine of main files;
 *   <li>in an incremental run, the quarantine file of each main file read again or gone is replaced
 *       or removed, and no other ({@link #removeFiles});
 *   <li>partitions that no longer hold rows are removed: in a full run, those of the earlier state
 *       it did not write; in a retraction, a rebuilt partition left with none ({@link
 *       #removedPartitions});
 *   <li>the lake's new state ({@link #after}), which must reconcile ({@link #problems}).
 * </ul>
 */
public record CommitStep(
    RunTally run,
    SortedSet<String> removeFiles,
    SortedSet<String> removedPartitions,
    LakeState after,
    List<String> problems) {

  public static CommitStep of(RunTally merged, Increment inc, Dataset dataset) {
    LakeState before = inc.state();
    RunTally.Builder b = RunTally.builder().add(merged);
    TreeSet<String> removeFiles = new TreeSet<>();
    TreeSet<String> removedPartitions = new TreeSet<>();
    String sideKind = dataset.side().kind();
    b.replaceIfAbsent(WriteQuarantine.sideFolder(dataset), "jsonl");
    for (FileTally f : merged.files().values()) {
      if (!f.read()) {
        continue;
      }
      if (!sideKind.equals(f.kind())) {
        if (inc.full()) {
          b.replaceIfAbsent(WriteQuarantine.mainFolder(dataset, f.region()), "jsonl");
        } else {
          removeFiles.add(WriteQuarantine.mainFile(dataset, f.region(), f.path()));
        }
      } else {
        String folder = WriteSide.folderOfFile(dataset.side(), f.region());
        if (folder != null) {
          b.replaceIfAbsent(folder, "parquet");
        }
      }
    }
    for (FileTally f : before.files().values()) {
      if (sideKind.equals(f.kind())) {
        continue;
      }
      if (inc.full()) {
        b.replaceIfAbsent(WriteQuarantine.mainFolder(dataset, f.region()), "jsonl");
      } else if (inc.dropped().contains(f.path())) {
        removeFiles.add(WriteQuarantine.mainFile(dataset, f.region(), f.path()));
      }
    }
    if (inc.full()) {
      // whatever an earlier run left, tracked by its state or not (a lake from an older version)
      b.replaceIfAbsent(dataset.silverTable() + "/**", "parquet");
      b.replaceIfAbsent(dataset.goldTable() + "/**", "parquet");
      b.replaceIfAbsent(OutputPaths.QUARANTINE + "/" + dataset.mainKind() + "/**", "jsonl");
    }
    java.util.Set<String> gone = inc.full() ? before.partitions().keySet() : inc.rebuild();
    for (String p : gone) {
      if (!merged.partitions().containsKey(p)) {
        removedPartitions.add(p);
        b.replace(dataset.silverTable() + "/" + p, "parquet");
        b.replace(dataset.goldTable() + "/" + p, "parquet");
        b.partition(
            p,
            new PartitionTally(
                before.partitions().get(p).group(), 0, 0, new java.util.TreeMap<>()));
      }
    }
    RunTally run = b.build();
    LakeState after = before.after(run, inc.dropped(), inc.full());
    List<String> problems = new ArrayList<>(Manifest.problems(run));
    problems.addAll(after.problems());
    return new CommitStep(run, removeFiles, removedPartitions, after, problems);
  }

  /**
   * What the data-quality rules judge: the files this run read (their records, quarantine and
   * duplicates), the statistics of the partitions it wrote, and the regions of the lake it would
   * leave, so a volume or row-count rule compares lake with lake whether the run was full or added
   * one day.
   */
  public RunTally forQuality() {
    java.util.TreeMap<String, FileTally> read = new java.util.TreeMap<>();
    run.files()
        .forEach(
            (path, f) -> {
              if (f.read()) {
                read.put(path, f);
              }
            });
    return new RunTally(
        read, after.regions(), run.partitions(), run.skipped(), run.plan(), run.quality());
  }
}
