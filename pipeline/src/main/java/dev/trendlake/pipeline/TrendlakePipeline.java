package dev.trendlake.pipeline;

import dev.trendlake.pipeline.io.FinishRun;
import dev.trendlake.pipeline.io.MatchFiles;
import dev.trendlake.pipeline.io.OutputPaths;
import dev.trendlake.pipeline.io.ParquetPartitionSink;
import dev.trendlake.pipeline.io.RunInfo;
import dev.trendlake.pipeline.io.WriteCategories;
import dev.trendlake.pipeline.io.WriteQuarantine;
import dev.trendlake.transforms.BuildPartitions;
import dev.trendlake.transforms.ReadCategories;
import dev.trendlake.transforms.ReadStatistics;
import dev.trendlake.transforms.model.Category;
import dev.trendlake.transforms.model.Rejected;
import dev.trendlake.transforms.model.RunTally;
import dev.trendlake.transforms.model.TrendingPartition;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * The trendlake graph, whatever the runner:
 *
 * <pre>
 *  raw_statistics/**.csv ─ MatchStatistics ─ ReadStatistics ──────────── BuildPartitions ──────────┐
 *                     (parse + clean + join, keyed by partition)   (group by partition, dedupe,  │ tallies
 *                                  ▲ side input       │ rejected       write silver + gold)       │
 *  raw_statistics_reference_data/**.json ─ MatchCategories ─ ReadCategories ─ WriteCategories ────┤
 *                                                     │ rejected                                 │
 *                           WriteQuarantine ◄─────────┴─ (all rejected) ─────────────────────────┤
 *                                   tallies of every step ─► FinishRun (reconcile, commit, manifest)
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

  /** The graph's outputs, for tests and for the steps that follow (the warehouse load). */
  public record Outputs(
      PCollection<TrendingPartition> gold,
      PCollection<Category> categories,
      PCollection<Rejected> rejected,
      PCollection<RunTally> finished) {}

  /**
   * Builds the whole graph on {@code p}.
   *
   * @param input bronze root (absolute local path or a file system URI)
   * @param output output root (absolute local path or a file system URI)
   */
  public static Outputs build(
      Pipeline p, String input, String output, long maxBytesPerFile, RunInfo info) {
    return build(p, input, output, maxBytesPerFile, info, false, null);
  }

  /**
   * As {@link #build(Pipeline, String, String, long, RunInfo)}, and also: {@code goldOutput}
   * returns the joined gold partitions (for the warehouse load); after a successful commit the
   * run's quarantine metrics go to CloudWatch {@code cloudWatchNamespace} (null: none).
   */
  public static Outputs build(
      Pipeline p,
      String input,
      String output,
      long maxBytesPerFile,
      RunInfo info,
      boolean goldOutput,
      String cloudWatchNamespace) {
    OutputPaths paths = new OutputPaths(output, info.runId());
    String in = input.endsWith("/") ? input.substring(0, input.length() - 1) : input;

    PCollection<FileIO.ReadableFile> statisticsFiles =
        p.apply("MatchStatistics", new MatchFiles(in + "/raw_statistics/**.csv"))
            .apply("OpenStatistics", FileIO.readMatches());
    PCollection<FileIO.ReadableFile> categoryFiles =
        p.apply("MatchCategories", new MatchFiles(in + "/raw_statistics_reference_data/**.json"))
            .apply("OpenCategories", FileIO.readMatches());

    PCollectionTuple categories = categoryFiles.apply("ReadCategories", new ReadCategories(in));
    PCollectionView<Map<String, String>> titles =
        ReadCategories.titlesView(categories.get(ReadCategories.CATEGORIES));

    PCollectionTuple read =
        statisticsFiles.apply("ReadStatistics", new ReadStatistics(in).withCategories(titles));
    BuildPartitions build = BuildPartitions.of(new ParquetPartitionSink(paths, maxBytesPerFile));
    PCollectionTuple built =
        read.get(ReadStatistics.ROWS)
            .apply("BuildPartitions", goldOutput ? build.withGoldOutput() : build);
    PCollection<TrendingPartition> gold = built.get(BuildPartitions.GOLD);

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
            .apply("AllTallies", Flatten.pCollections())
            .apply("FinishRun", new FinishRun(paths, info, cloudWatchNamespace));
    return new Outputs(gold, categories.get(ReadCategories.CATEGORIES), rejected, finished);
  }
}
