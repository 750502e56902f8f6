package dev.trendlake.transforms;

import dev.trendlake.transforms.model.Rejected;
import dev.trendlake.transforms.model.Versioned;
import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.tally.RunTally;
import java.util.List;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;

/** The outputs of every dataset's main read ({@link Dataset#readMain}), shared by the graph. */
public final class ReadTags {
  private ReadTags() {}

  /** Clean rows joined with the side input, in batches of one partition keyed by its path. */
  public static final TupleTag<KV<String, List<Row>>> ROWS = new TupleTag<>() {};

  public static final TupleTag<Rejected> REJECTED = new TupleTag<>() {};

  /**
   * {@link #ROWS} with their file's change token, instead of {@link #ROWS}, from a read asked for
   * versions ({@link ReadStatistics#withVersions}).
   */
  public static final TupleTag<KV<String, Versioned<List<Row>>>> VERSIONED_ROWS =
      new TupleTag<>() {};

  /** {@link #REJECTED} with their file's change token, from a read asked for versions. */
  public static final TupleTag<Versioned<Rejected>> VERSIONED_REJECTED = new TupleTag<>() {};

  /** One tally per file read. */
  public static final TupleTag<RunTally> TALLIES = new TupleTag<>() {};

  /**
   * The namespace of every main read's counters ({@code files}, {@code bytes}, {@code records},
   * {@code clean}, {@code rejected}): YouTube's reader's, so that the live progress lines and
   * existing dashboards read one set whatever the dataset.
   */
  public static final String COUNTERS = "dev.trendlake.transforms.ReadStatistics";
}
