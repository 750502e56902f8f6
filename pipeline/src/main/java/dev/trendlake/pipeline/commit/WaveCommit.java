package dev.trendlake.pipeline.commit;

import dev.trendlake.pipeline.io.OutputPaths;
import dev.trendlake.pipeline.io.ParquetPartitionSink;
import dev.trendlake.pipeline.io.ReadCommitted;
import dev.trendlake.pipeline.io.WriteQuarantine;
import dev.trendlake.pipeline.io.WriteSide;
import dev.trendlake.pipeline.warehouse.WarehouseTarget;
import dev.trendlake.transforms.Dedupe;
import dev.trendlake.transforms.SideTable;
import dev.trendlake.transforms.model.Rejected;
import dev.trendlake.transforms.row.Partition;
import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.tally.FileTally;
import dev.trendlake.transforms.tally.PartitionTally;
import dev.trendlake.transforms.tally.RegionTally;
import dev.trendlake.transforms.tally.RunTally;
import dev.trendlake.transforms.youtube.CategoryColumns;
import dev.trendlake.transforms.youtube.TrendingColumns;
import dev.trendlake.transforms.youtube.YouTubeDataset;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One commit of a continuous job: from the events collected since the last one (rows whose
 * partition's wait is over, rejected records, tallies of files read) and the newest category
 * snapshot, it commits every file that is complete, with the incremental run's machinery: the
 * partitions its rows reach are read back from silver, merged and deduplicated with them, written
 * to staging, reconciled ({@link CommitStep}), moved into place through {@code _commit.json}
 * ({@link Committer}), and recorded in the commit's manifest and {@code latest.json}; then the
 * warehouse is loaded with those partitions; then, with a CloudWatch namespace, the commit's
 * metrics are published ({@link CommitMetrics}), which can't fail the commit.
 *
 * <p><b>Complete files only.</b> A file is committed when its tally, all its rejected records and
 * all its rows are here ({@code records == rows + rejected}, counted by lineage), so every file in
 * the lake's state reconciles after every commit. A partition that also holds rows of a file not
 * yet complete is committed without them; they join a later commit of the same partition.
 *
 * <p><b>Idempotent across restarts.</b> The lake's state, read again at every commit, is what says
 * a file was processed. Events of a file it already holds (same change token) are redelivered ones,
 * after a restore from a checkpoint taken before their commit: they are dropped, not counted again.
 * Within the events, a row or reject is known by its lineage ({@code source_file}, {@code
 * source_line}), so one delivered twice counts once; and a new row whose lineage is already in the
 * committed partition is the same row, not a duplicate. A commit cut by a crash is finished first
 * ({@link ManifestStore#finishInterruptedCommit}), and a warehouse load cut after its commit is
 * done again from the committed gold. The commit id is the job's id and a number that follows
 * {@code latest.json}, so a commit redone after a restore takes the number of the one that did not
 * happen.
 *
 * <p>Category changes: the regions whose category files are new, changed or gone since the state
 * have all their partitions joined again and rewritten (as an incremental run does), and every
 * commit writes the categories' silver and quarantine from the snapshot, since category files are
 * always read whole.
 */
public final class WaveCommit implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WaveCommit.class);

  /**
   * What every commit of a job needs to know, fixed at launch.
   *
   * @param cloudWatchNamespace where each commit publishes its {@link CommitMetrics}; null
   *     publishes nothing
   * @param reprocessChanged {@code --reprocess=changed}: a new version of a file the lake holds
   *     replaces it; without, the lake keeps the version it read and drops any other's events
   */
  public record Settings(
      String output,
      String jobId,
      RunInfo job,
      long maxBytesPerFile,
      WarehouseTarget warehouse,
      String cloudWatchNamespace,
      boolean reprocessChanged)
      implements Serializable {}

  /**
   * What an attempt did: the commit made (null when nothing was complete), and the events to keep
   * for a later one.
   */
  public record Outcome(Committed committed, List<CommitEvent> remaining, long redelivered) {}

  /** A commit made. */
  public record Committed(
      String commitId, List<String> files, List<String> partitions, long rows, long millis)
      implements Serializable {}

  private final Settings settings;
  private final ContinuousLoad warehouse;
  private final CommitMetrics metrics;

  public WaveCommit(Settings settings) {
    this.settings = settings;
    this.warehouse = new ContinuousLoad(settings);
    this.metrics = new CommitMetrics(settings.cloudWatchNamespace());
  }

  /** Releases the CloudWatch client, if a commit made one. */
  @Override
  public void close() {
    metrics.close();
  }

  /**
   * Commits what is complete among {@code events}, joined with {@code snapshot}'s categories;
   * {@code bronze} lists bronze when the commit must look at it (a retraction reads the other files
   * of its partitions again).
   */
  public Outcome attempt(
      List<CommitEvent> events, CategorySnapshot snapshot, Retraction.Bronze bronze)
      throws IOException {
    long started = System.currentTimeMillis();
    String output = settings.output();
    ManifestStore.finishInterruptedCommit(output)
        .ifPresent(id -> LOG.info("Finished commit {}, which a crash had cut halfway", id));
    warehouse.loadPending(snapshot);
    LakeState state = ManifestStore.state(output, false, YouTubeDataset.INSTANCE);

    PendingEvents p = PendingEvents.of(events);
    TreeSet<PendingEvents.Version> done = new TreeSet<>();
    for (PendingEvents.Version v : p.versions()) {
      FileTally committed = state.files().get(v.file());
      if (committed != null && nothingToTake(v, committed)) {
        done.add(v);
      }
    }
    long dropped = p.drop(done);
    p.retracted.removeIf(f -> !state.files().containsKey(f)); // retracted already
    TreeMap<String, PendingEvents.Version> byFile = p.complete();
    TreeSet<String> complete = new TreeSet<>(byFile.keySet());
    TreeSet<PendingEvents.Version> completeVersions = new TreeSet<>(byFile.values());
    // processed files whose new version is complete, and those gone: retracted, partitions rebuilt
    TreeSet<String> retract = new TreeSet<>(p.retracted);
    complete.stream().filter(state.files()::containsKey).forEach(retract::add);
    Retraction retraction = Retraction.of(state, retract, settings.job().input(), bronze);
    if (!retraction.waitsFor().isEmpty()) {
      LOG.info(
          "Retracting {} waits for the new version of {}, which its partitions also hold",
          retract,
          retraction.waitsFor());
      complete.removeAll(retract);
      completeVersions.removeIf(v -> retract.contains(v.file()));
      retraction = Retraction.NONE;
    }
    TreeSet<String> regions = snapshot.changedRegions(state);
    if (complete.isEmpty() && regions.isEmpty() && retraction.isEmpty()) {
      return new Outcome(null, p.remainingEvents(), dropped);
    }
    String commitId = nextCommitId();
    OutputPaths paths = new OutputPaths(output, commitId);
    Map<String, String> titles = snapshot.titles();
    RunTally.Builder b = RunTally.builder();
    TreeMap<String, List<Row>> newRows = new TreeMap<>();
    for (PendingEvents.Version f : completeVersions) {
      b.add(p.tallies.get(f));
      for (Row r : p.rows.getOrDefault(f, Map.of()).values()) {
        newRows
            .computeIfAbsent(TrendingColumns.SCHEMA.partitionPath(r), k -> new ArrayList<>())
            .add(CategoryColumns.join(r, titles));
      }
      List<Rejected> rejects = new ArrayList<>(p.rejected.getOrDefault(f, Map.of()).values());
      if (!rejects.isEmpty()) {
        b.add(
            WriteQuarantine.writeStaged(
                paths, WriteQuarantine.file(YouTubeDataset.INSTANCE, rejects.get(0)), rejects));
      }
    }
    TreeSet<String> partitions = new TreeSet<>(newRows.keySet());
    partitions.addAll(retraction.rebuild());
    state
        .partitions()
        .forEach(
            (path, part) -> {
              if (regions.contains(part.group())) {
                partitions.add(path);
              }
            });
    ParquetPartitionSink sink =
        new ParquetPartitionSink(
            paths,
            TrendingColumns.SCHEMA,
            OutputPaths.SILVER_STATISTICS,
            OutputPaths.GOLD_TRENDING,
            settings.maxBytesPerFile());
    sink.setup();
    Map<String, Map<String, Long>> carried = state.carriedDuplicates(retraction.rebuild());
    List<Partition> written = new ArrayList<>();
    long sameRows = 0;
    for (String path : partitions) {
      List<Row> all = new ArrayList<>();
      Set<String> lineage = new HashSet<>();
      if (retraction.rebuild().contains(path)) {
        for (Row r : retraction.rows().getOrDefault(path, List.of())) {
          all.add(CategoryColumns.join(r, titles));
          lineage.add(lineage(r));
        }
      } else if (state.partitions().containsKey(path)) {
        for (Row r : ReadCommitted.committedRows(paths, YouTubeDataset.INSTANCE, path)) {
          all.add(CategoryColumns.join(r, titles));
          lineage.add(lineage(r));
        }
      }
      for (Row r : newRows.getOrDefault(path, List.of())) {
        if (lineage.add(lineage(r))) {
          all.add(r);
        } else {
          sameRows++;
        }
      }
      if (all.isEmpty()) {
        continue; // a rebuilt partition left with no rows: the commit removes it
      }
      Dedupe.Result d = Dedupe.keepBest(YouTubeDataset.INSTANCE, all);
      long missing = d.rows().stream().filter(YouTubeDataset.INSTANCE::joinMissed).count();
      Partition part =
          new Partition(path, YouTubeDataset.INSTANCE.group(d.rows().get(0)), d.rows());
      b.add(d.tally())
          .region(part.group(), new RegionTally(0, 0, missing, 0))
          .partition(path, share(part, missing, d.tally(), carried.get(path)))
          .add(sink.write(part));
      written.add(part);
    }
    writeCategories(b, paths, snapshot);
    SortedMap<String, String> processed = state.tokens(Rejected.STATISTICS);
    processed.keySet().removeAll(retraction.dropped());
    Increment inc =
        new Increment(
            false,
            state,
            processed,
            retraction.dropped(),
            retraction.rebuild(),
            retraction.rebuildFiles(),
            regions);
    CommitStep step = CommitStep.of(b.build(), inc, YouTubeDataset.INSTANCE);
    List<String> removed = List.copyOf(step.removedPartitions());
    WaveManifests.commit(
        settings, paths, inc, step, written.stream().map(Partition::path).toList(), removed);
    if (settings.warehouse() != null) {
      warehouse.load(commitId, written, snapshot.categories(), removed);
      ManifestStore.clearLoadPending(output);
    }
    long rows = written.stream().mapToLong(x -> x.rows().size()).sum();
    p.drop(completeVersions);
    p.drop(p.versionsOf(retraction.dropped()));
    p.retracted(retraction.dropped());
    Committed c =
        new Committed(
            commitId,
            new ArrayList<>(complete),
            written.stream().map(Partition::path).toList(),
            rows,
            System.currentTimeMillis() - started);
    LOG.info(
        "Commit {}: {} file(s) read, {} partition(s) rewritten{}{}, in {} ms",
        commitId,
        complete.size(),
        written.size(),
        regions.isEmpty() ? "" : " (categories changed in " + regions + ")",
        retraction.isEmpty()
            ? ""
            : " (retracted "
                + retraction.dropped()
                + ": "
                + retraction.rebuild().size()
                + " partition(s) rebuilt, "
                + removed.size()
                + " removed)",
        c.millis());
    // the counts of the files this commit took in, not of the older rows its partitions carry
    metrics.publish(commitId, step.forQuality(), complete.size());
    return new Outcome(c, p.remainingEvents(), dropped + sameRows);
  }

  /**
   * Whether the events of a version of a file the lake holds are of no more use: the version the
   * lake holds (delivered again after a restore from a checkpoint taken before its commit), or,
   * without {@code --reprocess=changed}, any version (the lake keeps the version it read, as the
   * watcher does). Decided from the lake and the events alone, never from a listing of bronze: the
   * watcher waits for the commit of each version it emitted, and sees the same lake.
   */
  private boolean nothingToTake(PendingEvents.Version v, FileTally committed) {
    return Objects.equals(committed.token(), v.token()) || !settings.reprocessChanged();
  }

  private static String lineage(Row r) {
    return r.get(TrendingColumns.SOURCE_FILE) + "\u0000" + r.get(TrendingColumns.SOURCE_LINE);
  }

  /** Each source file's share of a partition, with the duplicates carried from earlier commits. */
  private static PartitionTally share(
      Partition p, long missing, RunTally dedupe, Map<String, Long> carried) {
    TreeMap<String, PartitionTally.FileRows> files = new TreeMap<>();
    for (FileTally f : dedupe.files().values()) {
      files.put(f.path(), new PartitionTally.FileRows(f.silver(), f.duplicates()));
    }
    if (carried != null) {
      carried.forEach(
          (file, dups) ->
              files.merge(
                  file, new PartitionTally.FileRows(0, dups), PartitionTally.FileRows::plus));
    }
    return new PartitionTally(p.group(), p.rows().size(), missing, files);
  }

  /**
   * The snapshot's categories as a batch run writes them: silver per region, quarantine, tallies.
   */
  private static void writeCategories(RunTally.Builder b, OutputPaths paths, CategorySnapshot s)
      throws IOException {
    b.add(s.tally());
    SideTable side = YouTubeDataset.INSTANCE.side();
    TreeMap<String, List<Row>> byPartition = new TreeMap<>();
    for (Row c : s.categories()) {
      byPartition.computeIfAbsent(side.schema().partitionPath(c), k -> new ArrayList<>()).add(c);
    }
    for (Map.Entry<String, List<Row>> e : byPartition.entrySet()) {
      b.add(WriteSide.writePartition(paths, side, e.getKey(), e.getValue()));
    }
    if (!s.rejected().isEmpty()) {
      b.add(
          WriteQuarantine.writeStaged(
              paths,
              WriteQuarantine.file(YouTubeDataset.INSTANCE, s.rejected().get(0)),
              s.rejected()));
    }
  }

  /** The job's id and the next number after the commit {@code latest.json} names. */
  private String nextCommitId() {
    String prefix = settings.jobId() + ".";
    int next = 1;
    Optional<String> latest = ManifestStore.latestRunId(settings.output());
    if (latest.isPresent() && latest.get().startsWith(prefix)) {
      try {
        next = Integer.parseInt(latest.get().substring(prefix.length())) + 1;
      } catch (NumberFormatException e) {
        next = 1;
      }
    }
    return prefix + String.format("%05d", next);
  }
}
