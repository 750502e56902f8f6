package dev.trendlake.transforms;

import dev.trendlake.transforms.coders.TrendingPartitionCoder;
import dev.trendlake.transforms.coders.TrendingRowCoder;
import dev.trendlake.transforms.model.Rejected;
import dev.trendlake.transforms.model.RunTally;
import dev.trendlake.transforms.model.TrendingPartition;
import dev.trendlake.transforms.model.TrendingRow;
import dev.trendlake.transforms.rules.DedupeOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Keeps one row per (region, video_id, trending_date) and gathers the rows of each output
 * partition.
 *
 * <p>One shuffle does both jobs: rows are grouped by their Hive partition (region, trending date),
 * which holds every duplicate of a key, and each group is deduplicated in memory with {@link
 * DedupeOrder} and sorted by video_id. The writer then gets whole partitions and writes each as
 * a few right-sized files, instead of one file per bundle and destination. The cost is that one
 * (region, day) partition must fit in a worker's memory: a day of one region's trending list is
 * hundreds of rows in real data, a few thousand in the 4M-row benchmark.
 *
 * <p>Out: {@link #PARTITIONS}; {@link #TALLIES} with, per source file, the rows that survived
 * (silver) and those counted as duplicates (not quarantined, not lost).
 */
public final class DedupeTrending extends PTransform<PCollection<TrendingRow>, PCollectionTuple> {
  public static final TupleTag<TrendingPartition> PARTITIONS = new TupleTag<>() {};
  public static final TupleTag<RunTally> TALLIES = new TupleTag<>() {};

  @Override
  public PCollectionTuple expand(PCollection<TrendingRow> rows) {
    PCollectionTuple out =
        rows.apply("KeyByPartition", WithKeys.<String, TrendingRow>of((TrendingRow r) -> r.partition()).withKeyType(TypeDescriptor.of(String.class)))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), TrendingRowCoder.of()))
            .apply("GroupByPartition", GroupByKey.create())
            .apply("KeepBestPerVideo", ParDo.of(new DedupeFn()).withOutputTags(PARTITIONS, TupleTagList.of(TALLIES)));
    out.get(PARTITIONS).setCoder(TrendingPartitionCoder.of());
    out.get(TALLIES).setCoder(SerializableCoder.of(RunTally.class));
    return out;
  }

  static final class DedupeFn extends DoFn<KV<String, Iterable<TrendingRow>>, TrendingPartition> {
    private final Counter duplicates = Metrics.counter(DedupeTrending.class, "duplicates");
    private final Counter kept = Metrics.counter(DedupeTrending.class, "kept");

    @ProcessElement
    public void process(@Element KV<String, Iterable<TrendingRow>> group, MultiOutputReceiver out) {
      Map<String, TrendingRow> best = new HashMap<>();
      RunTally tally = new RunTally();
      String region = null;
      int date = 0;
      for (TrendingRow r : group.getValue()) {
        region = r.region();
        date = r.trendingDate();
        TrendingRow cur = best.get(r.videoId());
        if (cur == null) {
          best.put(r.videoId(), r);
          continue;
        }
        TrendingRow loser;
        if (DedupeOrder.better(r, cur)) {
          best.put(r.videoId(), r);
          loser = cur;
        } else {
          loser = r;
        }
        tally.file(loser.sourceFile(), Rejected.STATISTICS).duplicates++;
        duplicates.inc();
      }
      List<TrendingRow> rows = new ArrayList<>(best.values());
      rows.sort(Comparator.comparing(TrendingRow::videoId));
      for (TrendingRow r : rows) {
        tally.file(r.sourceFile(), Rejected.STATISTICS).silver++;
      }
      kept.inc(rows.size());
      out.get(PARTITIONS).output(new TrendingPartition(region, date, rows, null));
      out.get(TALLIES).output(tally);
    }
  }
}
