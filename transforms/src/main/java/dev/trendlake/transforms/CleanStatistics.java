package dev.trendlake.transforms;

import dev.trendlake.transforms.coders.RejectedCoder;
import dev.trendlake.transforms.coders.TrendingRowCoder;
import dev.trendlake.transforms.model.RawStatistic;
import dev.trendlake.transforms.model.Rejected;
import dev.trendlake.transforms.model.RunTally;
import dev.trendlake.transforms.model.TrendingRow;
import dev.trendlake.transforms.rules.StatisticsRules;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Applies the cleaning rules ({@link StatisticsRules}) to parsed records.
 *
 * <p>Out: {@link #ROWS}, typed {@link TrendingRow}s; {@link #REJECTED}, records that broke a rule
 * (reason = the first rule broken, in contract order); {@link #TALLIES}, quarantine counts per file
 * and reason, one small tally per bundle.
 */
public final class CleanStatistics extends PTransform<PCollection<RawStatistic>, PCollectionTuple> {
  public static final TupleTag<TrendingRow> ROWS = new TupleTag<>() {};
  public static final TupleTag<Rejected> REJECTED = new TupleTag<>() {};
  public static final TupleTag<RunTally> TALLIES = new TupleTag<>() {};

  @Override
  public PCollectionTuple expand(PCollection<RawStatistic> input) {
    PCollectionTuple out =
        input.apply("ApplyRules", ParDo.of(new CleanFn()).withOutputTags(ROWS, TupleTagList.of(REJECTED).and(TALLIES)));
    out.get(ROWS).setCoder(TrendingRowCoder.of());
    out.get(REJECTED).setCoder(RejectedCoder.of());
    out.get(TALLIES).setCoder(SerializableCoder.of(RunTally.class));
    return out;
  }

  static final class CleanFn extends DoFn<RawStatistic, TrendingRow> {
    private final Counter clean = Metrics.counter(CleanStatistics.class, "clean");
    private final Counter rejected = Metrics.counter(CleanStatistics.class, "rejected");
    private transient RunTally tally;

    @StartBundle
    public void start() {
      tally = new RunTally();
    }

    @ProcessElement
    public void process(@Element RawStatistic s, MultiOutputReceiver out) {
      StatisticsRules.Outcome o = StatisticsRules.clean(s);
      if (o.row() != null) {
        clean.inc();
        out.get(ROWS).output(o.row());
      } else {
        rejected.inc();
        tally.file(s.sourceFile(), Rejected.STATISTICS).quarantined.merge(o.rejected().reason().code(), 1L, Long::sum);
        out.get(REJECTED).output(o.rejected());
      }
    }

    @FinishBundle
    public void finish(FinishBundleContext c) {
      if (!tally.isEmpty()) {
        c.output(TALLIES, tally, GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE);
      }
      tally = null;
    }
  }
}
