package dev.trendlake.pipeline;

import dev.trendlake.pipeline.io.FinishRun;
import dev.trendlake.pipeline.io.MatchFiles;
import dev.trendlake.pipeline.io.OutputPaths;
import dev.trendlake.pipeline.io.RunInfo;
import dev.trendlake.pipeline.io.WriteCategories;
import dev.trendlake.pipeline.io.WritePartitions;
import dev.trendlake.pipeline.io.WriteQuarantine;
import dev.trendlake.transforms.CleanStatistics;
import dev.trendlake.transforms.DedupeTrending;
import dev.trendlake.transforms.JoinCategories;
import dev.trendlake.transforms.ParseStatistics;
import dev.trendlake.transforms.ReadCategories;
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
 *  raw_statistics/**.csv ─ MatchStatistics ─ ParseStatistics ─ CleanStatistics ─ DedupeTrending ─ JoinCategories ─ WritePartitions ─┐
 *                                                 │ rejected          │ rejected                        ▲ side input          │ silver+gold
 *  raw_statistics_reference_data/**.json ─ MatchCategories ─ ReadCategories ─────────────────────────────┘                     │
 *                                                 │ rejected        └─ WriteCategories ─────────────────────────────────────────┤
 *                                     WriteQuarantine ◄─ (all rejected) ─────────────────────────────────────────────────────────┤
 *                                                                             tallies of every step ─► FinishRun (reconcile, commit, manifest)
 * </pre>
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
  public static Outputs build(Pipeline p, String input, String output, long maxBytesPerFile, RunInfo info) {
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

    PCollectionTuple parsed = statisticsFiles.apply("ParseStatistics", new ParseStatistics(in));
    PCollectionTuple cleaned = parsed.get(ParseStatistics.RECORDS).apply("CleanStatistics", new CleanStatistics());
    PCollectionTuple deduped = cleaned.get(CleanStatistics.ROWS).apply("DedupeTrending", new DedupeTrending());
    PCollectionTuple joined =
        deduped.get(DedupeTrending.PARTITIONS).apply("JoinCategories", new JoinCategories(titles));
    PCollection<TrendingPartition> gold = joined.get(JoinCategories.JOINED);

    PCollection<RunTally> written = gold.apply("WritePartitions", new WritePartitions(paths, maxBytesPerFile));
    PCollection<RunTally> categoriesWritten =
        categories.get(ReadCategories.CATEGORIES).apply("WriteCategories", new WriteCategories(paths));

    PCollection<Rejected> rejected =
        PCollectionList.of(parsed.get(ParseStatistics.REJECTED))
            .and(cleaned.get(CleanStatistics.REJECTED))
            .and(categories.get(ReadCategories.REJECTED))
            .apply("AllRejected", Flatten.pCollections());
    PCollection<RunTally> quarantined = rejected.apply("WriteQuarantine", new WriteQuarantine(paths));

    PCollection<RunTally> finished =
        PCollectionList.of(parsed.get(ParseStatistics.TALLIES))
            .and(cleaned.get(CleanStatistics.TALLIES))
            .and(deduped.get(DedupeTrending.TALLIES))
            .and(joined.get(JoinCategories.TALLIES))
            .and(categories.get(ReadCategories.TALLIES))
            .and(written)
            .and(categoriesWritten)
            .and(quarantined)
            .apply("AllTallies", Flatten.pCollections())
            .apply("FinishRun", new FinishRun(paths, info));
    return new Outputs(gold, categories.get(ReadCategories.CATEGORIES), rejected, finished);
  }
}
