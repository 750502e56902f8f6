package dev.trendlake.pipeline;

import dev.trendlake.pipeline.commit.FinishRun;
import dev.trendlake.pipeline.config.RunConfig;
import dev.trendlake.pipeline.io.MatchFiles;
import dev.trendlake.pipeline.io.OutputPaths;
import dev.trendlake.pipeline.io.ParquetPartitionSink;
import dev.trendlake.pipeline.io.WriteCategories;
import dev.trendlake.pipeline.io.WriteQuarantine;
import dev.trendlake.pipeline.warehouse.LoadWarehouse;
import dev.trendlake.pipeline.warehouse.WarehouseLoader;
import dev.trendlake.transforms.BuildPartitions;
import dev.trendlake.transforms.ReadCategories;
import dev.trendlake.transforms.ReadStatistics;
import dev.trendlake.transforms.model.Rejected;
import dev.trendlake.transforms.row.Partition;
import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.tally.RunTally;
import dev.trendlake.transforms.youtube.TrendingColumns;
import dev.trendlake.transforms.youtube.YouTubeDataset;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * The trendlake graph, whole, whatever the runner:
 *
 * <pre>
 * raw_statistics/**.csv ─ MatchStatistics ─ ReadStatistics ─── BuildPartitions ─────────┐
 *          (parse, clean, join; rows keyed by partition)   (group, dedupe,    │ tallies
 *                  ▲ side input      │ rejected               write silver+gold) │
 * raw_statistics_reference_data/**.json ─ ReadCategories ─ WriteCategories ─────────┤
 *                                    │ rejected                                  │
 *                 WriteQuarantine ◄──┴─ (all rejected) ─────────────────────────┤
 *                       tallies of every step ─► FinishRun (reconcile, commit, manifest)
 *                                                   │ committed
 *                      gold partitions ─► LoadWarehouse (stage, MERGE) ◄┘  (when configured)
 * </pre>
 *
 * <p>On the hot path there are two DoFns and one shuffle: on Flink every operator boundary that
 * cannot be chained serialises every row, so parsing, cleaning and the category join share a DoFn
 * (whose main input is only the file list, as a side-input DoFn cannot chain to its predecessor),
 * and dedupe with the write shares one chained to the grouping; every step stays its own tested
 * unit.
 */
public final class TrendlakePipeline {
  private TrendlakePipeline() {}

  /** The graph's outputs, for tests. */
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
    OutputPaths paths = config.paths();
    String in = config.input();
    boolean loadWarehouse = config.warehouseTarget() != null;

    PCollectionTuple statisticsListing =
        p.apply("MatchStatistics", new MatchFiles(in, "raw_statistics", "csv"));
    PCollectionTuple categoryListing =
        p.apply("MatchCategories", new MatchFiles(in, "raw_statistics_reference_data", "json"));
    PCollection<FileIO.ReadableFile> statisticsFiles =
        statisticsListing.get(MatchFiles.FILES).apply("OpenStatistics", FileIO.readMatches());
    PCollection<FileIO.ReadableFile> categoryFiles =
        categoryListing.get(MatchFiles.FILES).apply("OpenCategories", FileIO.readMatches());

    PCollectionTuple categories = categoryFiles.apply("ReadCategories", new ReadCategories(in));
    PCollectionView<Map<String, String>> titles =
        ReadCategories.titlesView(categories.get(ReadCategories.CATEGORIES));

    PCollectionTuple read =
        statisticsFiles.apply("ReadStatistics", new ReadStatistics(in).withCategories(titles));
    BuildPartitions build =
        BuildPartitions.of(
            YouTubeDataset.INSTANCE,
            new ParquetPartitionSink(
                paths,
                TrendingColumns.SCHEMA,
                OutputPaths.SILVER_STATISTICS,
                OutputPaths.GOLD_TRENDING,
                config.maxBytesPerFile()));
    PCollectionTuple built =
        read.get(ReadStatistics.ROWS)
            .apply("BuildPartitions", loadWarehouse ? build.withGoldOutput() : build);
    PCollection<Partition> gold = built.get(BuildPartitions.GOLD);

    PCollection<RunTally> categoriesWritten =
        categories
            .get(ReadCategories.CATEGORIES)
            .apply("WriteCategories", new WriteCategories(paths));

    PCollection<Rejected> rejected =
        PCollectionList.of(read.get(ReadStatistics.REJECTED))
            .and(categories.get(ReadCategories.REJECTED))
            .apply("AllRejected", Flatten.pCollections());
    PCollection<RunTally> quarantined =
        rejected.apply("WriteQuarantine", new WriteQuarantine(paths));

    PCollection<RunTally> finished =
        PCollectionList.of(read.get(ReadStatistics.TALLIES))
            .and(built.get(BuildPartitions.TALLIES))
            .and(categories.get(ReadCategories.TALLIES))
            .and(categoriesWritten)
            .and(quarantined)
            .and(statisticsListing.get(MatchFiles.SKIPPED))
            .and(categoryListing.get(MatchFiles.SKIPPED))
            .apply("AllTallies", Flatten.pCollections())
            .apply("FinishRun", new FinishRun(paths, config.info(), config.cloudWatchNamespace()));

    PCollection<WarehouseLoader.MergeResult> loaded =
        loadWarehouse
            ? gold.apply(
                "LoadWarehouse",
                new LoadWarehouse(
                    config.warehouseTarget(),
                    config.runId(),
                    paths.resolve(OutputPaths.GOLD_TRENDING),
                    categories.get(ReadCategories.CATEGORIES),
                    finished))
            : null;
    return new Outputs(gold, categories.get(ReadCategories.CATEGORIES), rejected, finished, loaded);
  }
}
