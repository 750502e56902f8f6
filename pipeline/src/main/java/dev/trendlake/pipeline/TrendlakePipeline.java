package dev.trendlake.pipeline;

import dev.trendlake.pipeline.commit.FinishRun;
import dev.trendlake.pipeline.commit.Increment;
import dev.trendlake.pipeline.config.RunConfig;
import dev.trendlake.pipeline.continuous.ContinuousMode;
import dev.trendlake.pipeline.io.MatchFiles;
import dev.trendlake.pipeline.io.OutputPaths;
import dev.trendlake.pipeline.io.ParquetPartitionSink;
import dev.trendlake.pipeline.io.ReadCommitted;
import dev.trendlake.pipeline.io.SelectFiles;
import dev.trendlake.pipeline.io.WriteQuarantine;
import dev.trendlake.pipeline.io.WriteSide;
import dev.trendlake.pipeline.quality.QualityRules;
import dev.trendlake.pipeline.warehouse.LoadWarehouse;
import dev.trendlake.pipeline.warehouse.Star;
import dev.trendlake.pipeline.warehouse.WarehouseLoader;
import dev.trendlake.transforms.BuildPartitions;
import dev.trendlake.transforms.CountDecreases;
import dev.trendlake.transforms.Dataset;
import dev.trendlake.transforms.ReadSide;
import dev.trendlake.transforms.ReadTags;
import dev.trendlake.transforms.Rebuild;
import dev.trendlake.transforms.SideTable;
import dev.trendlake.transforms.model.Rejected;
import dev.trendlake.transforms.row.Partition;
import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.tally.RunTally;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Distinct;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.Keys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * The trendlake graph, whole, whatever the runner:
 *
 * <pre>
 * main bronze ─ MatchStatistics ─ ReadStatistics ─── BuildPartitions ─────────────────┐
 *          (parse, clean, join; rows keyed by partition)   (group, dedupe,    │ tallies
 *                  ▲ side input      │ rejected               write silver+gold) │
 * side bronze ─ MatchCategories ─ ReadCategories ─ WriteCategories ─────────────────┤
 *                                    │ rejected                                  │
 *                 WriteQuarantine ◄──┴─ (all rejected) ─────────────────────────┤
 *                       tallies of every step ─► FinishRun (reconcile, commit, manifest)
 *                                                   │ committed
 *                      gold partitions ─► LoadWarehouse (stage, MERGE) ◄┘  (when configured)
 * </pre>
 *
 * <p>Every dataset-specific part comes from the run's {@link Dataset} (YouTube: statistics CSV with
 * categories as the side input; TMDB: TV list responses with genres): its bronze folders (listed by
 * {@link MatchFiles}, every entry read or named as skipped), its main read, its side input, its
 * schema, dedupe rule, quality measures and tables. The step names are YouTube's, kept so that
 * metrics and Flink savepoints of existing deployments keep their names.
 *
 * <p>On the hot path there are two DoFns and one shuffle: on Flink every operator boundary that
 * cannot be chained serialises every row, so parsing, cleaning and the category join share a DoFn
 * (whose main input is only the file list, as a side-input DoFn cannot chain to its predecessor),
 * and dedupe with the write shares one chained to the grouping; every step stays its own tested
 * unit.
 */
public final class TrendlakePipeline {
  private TrendlakePipeline() {}

  /** The graph's outputs, for tests (a continuous run's are its commits: none here). */
  public record Outputs(
      PCollection<Partition> gold,
      PCollection<Row> categories,
      PCollection<Rejected> rejected,
      PCollection<RunTally> finished,
      PCollection<WarehouseLoader.MergeResult> warehouse) {}

  /**
   * Builds the whole graph on {@code p} from {@code config}: bronze to a committed lake, and the
   * warehouse load after the commit when {@link RunConfig#warehouseTarget()} is set.
   */
  public static Outputs build(Pipeline p, RunConfig config) {
    Dataset dataset = config.dataset();
    SideTable side = dataset.side();
    OutputPaths paths = config.paths();
    String in = config.input();
    Increment inc = config.increment();
    boolean loadWarehouse = config.warehouseTarget() != null;
    if (config.continuous()) {
      // the streaming shape: bronze watched, the same read, commits per partition (ContinuousMode)
      ContinuousMode.Watched watched = ContinuousMode.watch(p, config);
      PCollectionTuple read =
          watched.statisticsFiles().apply("ReadStatistics", ContinuousMode.read(config, watched));
      ContinuousMode.commit(read, watched, config);
      return new Outputs(null, null, null, null, null);
    }

    PCollectionTuple mainListing =
        p.apply(
            "MatchStatistics", new MatchFiles(in, dataset.mainFolder(), dataset.mainExtension()));
    PCollectionTuple sideListing =
        p.apply("MatchCategories", new MatchFiles(in, side.folder(), side.extension()));
    PCollection<MatchResult.Metadata> listed = mainListing.get(MatchFiles.FILES);
    PCollection<MatchResult.Metadata> mainFiles =
        inc.merges()
            ? listed.apply(
                "SelectNewFiles", new SelectFiles(in, inc.processed(), inc.rebuildFiles()))
            : listed;
    PCollection<MatchResult.Metadata> sideFiles = sideListing.get(MatchFiles.FILES);

    PCollectionTuple sideRows = sideFiles.apply("ReadCategories", new ReadSide(in, side));
    PCollectionView<Map<String, String>> sideView =
        ReadSide.view(side, sideRows.get(ReadSide.ROWS), "TitleByRegionAndId");

    PCollectionTuple read =
        mainFiles.apply(
            "ReadStatistics",
            dataset.readMain(in, sideView, new Rebuild(inc.rebuildFiles(), inc.rebuild())));
    PCollection<KV<String, List<Row>>> rows = read.get(ReadTags.ROWS);
    if (inc.merges()) {
      rows = withCommittedRows(p, rows, paths, inc, dataset, sideView);
    }
    BuildPartitions build =
        BuildPartitions.of(
                dataset,
                new ParquetPartitionSink(
                    paths,
                    dataset.schema(),
                    dataset.silverTable(),
                    dataset.goldTable(),
                    config.maxBytesPerFile()))
            .withCarriedDuplicates(
                inc.merges() ? inc.state().carriedDuplicates(inc.rebuild()) : Map.of());
    QualityRules rules = config.qualityRules();
    if (rules == null) {
      throw new IllegalStateException("the --qualityRules file was not read before the graph");
    }
    if (loadWarehouse) {
      build = build.withGoldOutput();
    }
    if (rules.needsMeasures()) {
      build = build.withMeasureOutput();
    }
    PCollectionTuple built = rows.apply("BuildPartitions", build);
    PCollection<Partition> gold = built.get(BuildPartitions.GOLD);

    PCollection<RunTally> sideWritten =
        sideRows.get(ReadSide.ROWS).apply("WriteCategories", new WriteSide(paths, side));

    PCollection<Rejected> rejected =
        PCollectionList.of(read.get(ReadTags.REJECTED))
            .and(sideRows.get(ReadSide.REJECTED))
            .apply("AllRejected", Flatten.pCollections());
    PCollection<RunTally> quarantined =
        rejected.apply("WriteQuarantine", new WriteQuarantine(paths, dataset));

    PCollectionList<RunTally> tallies =
        PCollectionList.of(read.get(ReadTags.TALLIES)).and(built.get(BuildPartitions.TALLIES));
    if (rules.needsMeasures()) {
      tallies =
          tallies.and(
              built
                  .get(BuildPartitions.MEASURES)
                  .apply("CountViewDecreases", new CountDecreases()));
    }
    PCollection<RunTally> finished =
        tallies
            .and(sideRows.get(ReadSide.TALLIES))
            .and(sideWritten)
            .and(quarantined)
            .and(mainListing.get(MatchFiles.SKIPPED))
            .and(sideListing.get(MatchFiles.SKIPPED))
            .apply("AllTallies", Flatten.pCollections())
            .apply(
                "FinishRun",
                new FinishRun(
                    paths,
                    config.info(),
                    inc,
                    config.cloudWatchNamespace(),
                    loadWarehouse,
                    rules,
                    dataset));

    PCollection<WarehouseLoader.MergeResult> loaded =
        loadWarehouse
            ? gold.apply(
                "LoadWarehouse",
                new LoadWarehouse(
                    config.warehouseTarget(),
                    Star.of(dataset)
                        .orElseThrow(
                            () ->
                                new IllegalStateException(
                                    "--dataset=" + dataset.name() + " has no warehouse tables")),
                    config.runId(),
                    paths.resolve(dataset.goldTable()),
                    sideRows.get(ReadSide.ROWS),
                    finished))
            : null;
    return new Outputs(gold, sideRows.get(ReadSide.ROWS), rejected, finished, loaded);
  }

  /**
   * An incremental run's rows, with the committed rows of every partition they reach (and of the
   * regions whose categories changed) read back from silver and joined again, so the one shuffle
   * sees each rewritten partition whole.
   */
  private static PCollection<KV<String, List<Row>>> withCommittedRows(
      Pipeline p,
      PCollection<KV<String, List<Row>>> rows,
      OutputPaths paths,
      Increment inc,
      Dataset dataset,
      PCollectionView<Map<String, String>> titles) {
    PCollection<String> touched =
        PCollectionList.of(rows.apply("PartitionsReached", Keys.create()))
            .and(
                p.apply(
                    "PartitionsOfChangedCategories",
                    Create.of(new ArrayList<>(inc.regionPartitions()))
                        .withCoder(StringUtf8Coder.of())))
            .apply("AllTouched", Flatten.pCollections())
            .apply("EachOnce", Distinct.create());
    PCollection<KV<String, List<Row>>> committed =
        touched.apply("ReadCommitted", new ReadCommitted(paths, dataset, inc.mergeable(), titles));
    return PCollectionList.of(rows)
        .and(committed)
        .apply("NewAndCommittedRows", Flatten.pCollections());
  }
}
