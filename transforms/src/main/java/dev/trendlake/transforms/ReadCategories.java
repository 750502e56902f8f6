package dev.trendlake.transforms;

import dev.trendlake.transforms.model.Rejected;
import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.tally.RunTally;
import dev.trendlake.transforms.youtube.CategoryColumns;
import dev.trendlake.transforms.youtube.YouTubeDataset;
import java.util.Map;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;

/**
 * YouTube's side input read: category JSON files into one category row ({@link CategoryColumns})
 * per (region, category_id), by the shared {@link ReadSide} (the first file in path order wins a
 * repeated (region, id); duplicates resolved per region). Out: {@link #CATEGORIES}, {@link
 * #REJECTED} (to {@code quarantine/categories}), {@link #TALLIES}. The graph reads every dataset's
 * side input through {@link ReadSide} directly; this names YouTube's for tests and tools.
 */
public final class ReadCategories
    extends PTransform<PCollection<MatchResult.Metadata>, PCollectionTuple> {
  public static final TupleTag<Row> CATEGORIES = ReadSide.ROWS;
  public static final TupleTag<Rejected> REJECTED = ReadSide.REJECTED;
  public static final TupleTag<RunTally> TALLIES = ReadSide.TALLIES;

  private final String bronzeRoot;

  public ReadCategories(String bronzeRoot) {
    this.bronzeRoot = bronzeRoot;
  }

  @Override
  public PCollectionTuple expand(PCollection<MatchResult.Metadata> files) {
    return files.apply("ReadSide", new ReadSide(bronzeRoot, YouTubeDataset.INSTANCE.side()));
  }

  /**
   * The side input of {@link ReadStatistics#withCategories}: title by (region, category_id), built
   * once into one map and read as a singleton ({@link ReadSide#view}).
   */
  public static PCollectionView<Map<String, String>> titlesView(PCollection<Row> categories) {
    return ReadSide.view(YouTubeDataset.INSTANCE.side(), categories, "TitleByRegionAndId");
  }
}
