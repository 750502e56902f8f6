package dev.trendlake.pipeline.continuous;

import dev.trendlake.pipeline.commit.CategorySnapshot;
import dev.trendlake.pipeline.commit.CommitEvent;
import dev.trendlake.pipeline.commit.StreamingCommit;
import dev.trendlake.pipeline.commit.WaveCommit;
import dev.trendlake.pipeline.config.RunConfig;
import dev.trendlake.transforms.ReadStatistics;
import dev.trendlake.transforms.ReadTags;
import dev.trendlake.transforms.model.Rejected;
import dev.trendlake.transforms.model.Versioned;
import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.tally.RunTally;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * The streaming shape of the graph ({@code --continuous}), in the two places it differs from a
 * batch run; {@code TrendlakePipeline.build} puts the same {@code ReadStatistics} between them:
 *
 * <pre>
 * WatchBronze ─ new statistics files ─ ReadStatistics (parse, clean, join) ─ rows by partition
 *     │                                      ▲ titles (slowly-updating side input)      │
 *     └─ category listings ─ ReadCategorySnapshot ─ CategoryTitles             CommitDelay
 *                                   │                                                  │
 *                                   └──── snapshots, rejects, file tallies ──► StreamingCommit
 *                                  (per commit: merge, write, reconcile, move, manifest, warehouse)
 * </pre>
 */
public final class ContinuousMode {
  private ContinuousMode() {}

  /**
   * The watched inputs: new statistics files, processed ones gone from bronze (to retract),
   * category snapshots and the titles side input.
   */
  public record Watched(
      PCollection<MatchResult.Metadata> statisticsFiles,
      PCollection<String> retracted,
      PCollection<CategorySnapshot> snapshots,
      PCollectionView<Map<String, String>> titles) {}

  public static Watched watch(Pipeline p, RunConfig config) {
    PCollectionTuple watched =
        p.apply(
            "WatchBronze",
            new WatchBronze(
                config.input(),
                config.output(),
                config.watchInterval(),
                config.stopWhenIdle(),
                config.warehouseTarget() != null,
                config.reprocessChanged()));
    PCollection<CategorySnapshot> snapshots =
        watched
            .get(WatchBronze.CATEGORY_LISTINGS)
            .apply("ReadCategorySnapshot", ParDo.of(new ReadCategorySnapshot(config.input())))
            .setCoder(CategorySnapshot.Coder.of());
    return new Watched(
        watched.get(WatchBronze.NEW_FILES),
        watched.get(WatchBronze.RETRACTED),
        snapshots,
        snapshots.apply("CategoryTitles", new CategoryTitles()));
  }

  /**
   * The continuous read: YouTube's statistics reader ({@code --continuous} serves that dataset,
   * {@code RunConfigValidator}), its rows and rejects tagged with their file's version, which the
   * commit needs to keep apart two versions of one file after a restore ({@link CommitEvent}).
   */
  public static PTransform<PCollection<MatchResult.Metadata>, PCollectionTuple> read(
      RunConfig config, Watched watched) {
    return new ReadStatistics(config.input()).withCategories(watched.titles()).withVersions();
  }

  /**
   * Rows wait per partition ({@link CommitDelay}), then meet the rejects, the file tallies and the
   * category snapshots at the one writer ({@link StreamingCommit}). Returns the commit ids.
   */
  public static PCollection<String> commit(
      PCollectionTuple read, Watched watched, RunConfig config) {
    PCollection<CommitEvent> rows =
        read.get(ReadTags.VERSIONED_ROWS)
            .apply("CommitDelay", new CommitDelay<>(config.commitDelay()))
            .apply(
                "RowsDue",
                MapElements.into(TypeDescriptor.of(CommitEvent.class))
                    .via(
                        (KV<String, Versioned<List<Row>>> kv) ->
                            CommitEvent.rows(kv.getKey(), kv.getValue())))
            .setCoder(CommitEvent.Coder.of());
    PCollection<CommitEvent> rejected =
        read.get(ReadTags.VERSIONED_REJECTED)
            .apply(
                "Rejects",
                MapElements.into(TypeDescriptor.of(CommitEvent.class))
                    .via((Versioned<Rejected> r) -> CommitEvent.rejected(r)))
            .setCoder(CommitEvent.Coder.of());
    PCollection<CommitEvent> tallies =
        read.get(ReadTags.TALLIES)
            .apply(
                "FilesRead",
                MapElements.into(TypeDescriptor.of(CommitEvent.class))
                    .via((RunTally t) -> CommitEvent.fileRead(t)))
            .setCoder(CommitEvent.Coder.of());
    PCollection<CommitEvent> categories =
        watched
            .snapshots()
            .apply(
                "Snapshots",
                MapElements.into(TypeDescriptor.of(CommitEvent.class))
                    .via((CategorySnapshot s) -> CommitEvent.categories(s)))
            .setCoder(CommitEvent.Coder.of());
    PCollection<CommitEvent> retracted =
        watched
            .retracted()
            .apply(
                "Retractions",
                MapElements.into(TypeDescriptor.of(CommitEvent.class))
                    .via((String path) -> CommitEvent.retracted(path)))
            .setCoder(CommitEvent.Coder.of());
    WaveCommit.Settings settings =
        new WaveCommit.Settings(
            config.output(),
            config.runId(),
            config.info(),
            config.maxBytesPerFile(),
            config.warehouseTarget(),
            config.cloudWatchNamespace(),
            config.reprocessChanged());
    return PCollectionList.of(rows)
        .and(rejected)
        .and(tallies)
        .and(categories)
        .and(retracted)
        .apply("AllToCommit", Flatten.pCollections())
        .apply("StreamingCommit", new StreamingCommit(settings));
  }
}
