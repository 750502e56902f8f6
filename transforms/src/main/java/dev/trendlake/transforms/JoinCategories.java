package dev.trendlake.transforms;

import dev.trendlake.transforms.coders.TrendingPartitionCoder;
import dev.trendlake.transforms.model.Category;
import dev.trendlake.transforms.model.RunTally;
import dev.trendlake.transforms.model.TrendingPartition;
import dev.trendlake.transforms.model.TrendingRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Left-joins each partition's rows with the categories side input on <b>(region, category_id)</b>.
 *
 * <p>Never on category_id alone: the well-known tutorial join on the id alone multiplies rows by
 * the number of regions. A row whose category is unknown for its region (real data: category 29
 * in CA, FR and IN statistics is missing from their JSON) stays, with a null title, and is counted
 * as {@code unknown_category} for its region.
 *
 * <p>The side input is built once ({@link ReadCategories}) as a map keyed by {@link
 * Category#key(String, long)} holding the title.
 */
public final class JoinCategories extends PTransform<PCollection<TrendingPartition>, PCollectionTuple> {
  public static final TupleTag<TrendingPartition> JOINED = new TupleTag<>() {};
  public static final TupleTag<RunTally> TALLIES = new TupleTag<>() {};

  private final PCollectionView<Map<String, String>> titles;

  public JoinCategories(PCollectionView<Map<String, String>> titles) {
    this.titles = titles;
  }

  @Override
  public PCollectionTuple expand(PCollection<TrendingPartition> input) {
    PCollectionTuple out =
        input.apply(
            "LookupTitles",
            ParDo.of(new JoinFn(titles)).withSideInputs(titles).withOutputTags(JOINED, TupleTagList.of(TALLIES)));
    out.get(JOINED).setCoder(TrendingPartitionCoder.of());
    out.get(TALLIES).setCoder(SerializableCoder.of(RunTally.class));
    return out;
  }

  static final class JoinFn extends DoFn<TrendingPartition, TrendingPartition> {
    private final PCollectionView<Map<String, String>> titles;
    private final Counter unknown = Metrics.counter(JoinCategories.class, "unknown_category");

    JoinFn(PCollectionView<Map<String, String>> titles) {
      this.titles = titles;
    }

    @ProcessElement
    public void process(@Element TrendingPartition p, ProcessContext c, MultiOutputReceiver out) {
      Map<String, String> map = c.sideInput(titles);
      List<String> joined = new ArrayList<>(p.rows().size());
      long missing = 0;
      for (TrendingRow r : p.rows()) {
        String t = map.get(Category.key(r.region(), r.categoryId()));
        if (t == null) {
          missing++;
        }
        joined.add(t);
      }
      unknown.inc(missing);
      RunTally tally = new RunTally();
      tally.region(p.region()).unknownCategory += missing;
      out.get(JOINED).output(new TrendingPartition(p.region(), p.trendingDate(), p.rows(), joined));
      out.get(TALLIES).output(tally);
    }
  }
}
