package dev.trendlake.transforms;

import dev.trendlake.transforms.coders.PartitionCoder;
import dev.trendlake.transforms.coders.RunTallyCoder;
import dev.trendlake.transforms.row.Col;
import dev.trendlake.transforms.row.Partition;
import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.tally.FileTally;
import dev.trendlake.transforms.tally.PartitionTally;
import dev.trendlake.transforms.tally.QualityStats;
import dev.trendlake.transforms.tally.RegionTally;
import dev.trendlake.transforms.tally.RunTally;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.StreamSupport;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Turns clean rows into finished partitions and hands each to a {@link PartitionSink}.
 *
 * <p>In: batches of rows of one output partition, keyed by it ({@link ReadStatistics#ROWS}),
 * already joined with their side input ({@link ReadStatistics#withCategories}: the side input is
 * consumed before the shuffle, so that this step chains to the grouping on Flink). One shuffle
 * groups them; each group is deduplicated ({@link Dedupe}, by the {@link Dataset}'s rule) and
 * written by the sink as a few right-sized files. Grouping by partition serves the dedupe (every
 * duplicate of a key is in its partition) and the writer (whole partitions, so no swarm of
 * one-file-per-bundle outputs) at once. The cost is that one partition must fit in a worker's
 * memory: hundreds of rows in real data, a few thousand in the 4M-row benchmark.
 *
 * <p>Out: {@link #TALLIES}, per partition: rows kept and duplicates per source file, join misses
 * per group, what the sink wrote, and the partition's {@link QualityStats} (rows, nulls per column,
 * its day); {@link #GOLD}, the joined partitions, only when {@link #withGoldOutput()} asks for them
 * (the warehouse load), and {@link #MEASURES}, each row's growing measure by day, only when {@link
 * #withMeasureOutput()} asks for it (a monotonic quality rule, counted by {@link CountDecreases}),
 * since on Flink every element leaving a DoFn is serialised.
 *
 * <p>Dedupe and write share one DoFn for the same reason: each boundary would serialise every row
 * again. Each step is still its own unit, tested on its own.
 */
public final class BuildPartitions
    extends PTransform<PCollection<KV<String, List<Row>>>, PCollectionTuple> {
  public static final TupleTag<RunTally> TALLIES = new TupleTag<>() {};
  public static final TupleTag<Partition> GOLD = new TupleTag<>() {};

  /**
   * Per row: key {@link CountDecreases#key(String, String) group and dedupe key}, (day, measure).
   */
  public static final TupleTag<KV<String, KV<Integer, Long>>> MEASURES = new TupleTag<>() {};

  private final Dataset dataset;
  private final PartitionSink sink;
  private final boolean goldOutput;
  private final boolean measureOutput;
  private final Map<String, Map<String, Long>> carried;

  private BuildPartitions(
      Dataset dataset,
      PartitionSink sink,
      boolean goldOutput,
      boolean measureOutput,
      Map<String, Map<String, Long>> carried) {
    this.dataset = dataset;
    this.sink = sink;
    this.goldOutput = goldOutput;
    this.measureOutput = measureOutput;
    this.carried = carried;
  }

  public static BuildPartitions of(Dataset dataset, PartitionSink sink) {
    return new BuildPartitions(dataset, sink, false, false, Map.of());
  }

  /** Also emit every joined partition under {@link #GOLD}. */
  public BuildPartitions withGoldOutput() {
    return new BuildPartitions(dataset, sink, true, measureOutput, carried);
  }

  /** Also emit every row's growing measure under {@link #MEASURES}. */
  public BuildPartitions withMeasureOutput() {
    return new BuildPartitions(dataset, sink, goldOutput, true, carried);
  }

  /**
   * Rows of earlier runs that lost to a better duplicate, by partition and source file: they are
   * not in silver to be counted again when an incremental run rewrites their partition, so their
   * count is carried into the partition's new tally.
   */
  public BuildPartitions withCarriedDuplicates(Map<String, Map<String, Long>> duplicates) {
    return new BuildPartitions(dataset, sink, goldOutput, measureOutput, new TreeMap<>(duplicates));
  }

  @Override
  public PCollectionTuple expand(PCollection<KV<String, List<Row>>> rows) {
    PCollectionTuple out =
        rows.apply("GroupByPartition", GroupByKey.create())
            .apply(
                "DedupeWrite",
                ParDo.of(new BuildFn(dataset, sink, goldOutput, measureOutput, carried))
                    .withOutputTags(TALLIES, TupleTagList.of(GOLD).and(MEASURES)));
    out.get(TALLIES).setCoder(RunTallyCoder.of());
    out.get(GOLD).setCoder(PartitionCoder.of(dataset.schema()));
    out.get(MEASURES)
        .setCoder(
            KvCoder.of(StringUtf8Coder.of(), KvCoder.of(VarIntCoder.of(), VarLongCoder.of())));
    return out;
  }

  static final class BuildFn extends StageTimedDoFn<KV<String, Iterable<List<Row>>>, RunTally> {
    private final Dataset dataset;
    private final PartitionSink sink;
    private final boolean goldOutput;
    private final boolean measureOutput;
    private final Map<String, Map<String, Long>> carried;
    private final Counter kept = Metrics.counter(BuildPartitions.class, "kept");
    private final Counter duplicates = Metrics.counter(BuildPartitions.class, "duplicates");
    private final Counter missed = Metrics.counter(BuildPartitions.class, "unknown_category");
    private final Counter partitions = Metrics.counter(BuildPartitions.class, "partitions");

    BuildFn(
        Dataset dataset,
        PartitionSink sink,
        boolean goldOutput,
        boolean measureOutput,
        Map<String, Map<String, Long>> carried) {
      super(DEDUPE_WRITE);
      this.dataset = dataset;
      this.sink = sink;
      this.goldOutput = goldOutput;
      this.measureOutput = measureOutput;
      this.carried = carried;
    }

    @Setup
    public void setup() {
      sink.setup();
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<List<Row>>> group, MultiOutputReceiver out)
        throws IOException {
      Iterable<Row> rows =
          () ->
              StreamSupport.stream(group.getValue().spliterator(), false)
                  .flatMap(List::stream)
                  .iterator();
      Dedupe.Result d = Dedupe.keepBest(dataset, rows);
      long missing = d.rows().stream().filter(dataset::joinMissed).count();
      Partition p = new Partition(group.getKey(), dataset.group(d.rows().get(0)), d.rows());
      RunTally tally =
          RunTally.builder()
              .add(d.tally())
              .region(p.group(), new RegionTally(0, 0, missing, 0))
              .partition(p.path(), share(p, missing, d.tally()))
              .quality(p.group(), stats(d.rows()))
              .add(sink.write(p))
              .build();
      kept.inc(d.rows().size());
      duplicates.inc(d.duplicates());
      missed.inc(missing);
      partitions.inc();
      out.get(TALLIES).output(tally);
      if (goldOutput) {
        out.get(GOLD).output(p);
      }
      if (measureOutput) {
        for (Row r : d.rows()) {
          out.get(MEASURES)
              .output(
                  KV.of(
                      CountDecreases.key(p.group(), dataset.dedupeKey(r)),
                      KV.of(dataset.day(r), dataset.growingMeasure(r))));
        }
      }
    }

    /** Rows, nulls per gold column and the day of one partition's surviving rows. */
    private QualityStats stats(List<Row> rows) {
      Map<String, Long> nulls = new TreeMap<>();
      for (Col<?> c : dataset.schema().goldCols()) {
        if (!c.nullable()) {
          continue;
        }
        long n = 0;
        for (Row r : rows) {
          if (r.get(c) == null) {
            n++;
          }
        }
        if (n > 0) {
          nulls.put(c.name(), n);
        }
      }
      return QualityStats.ofRows(rows.size(), dataset.day(rows.get(0)), nulls);
    }

    /** Each source file's share of the partition, with the duplicates carried from earlier runs. */
    private PartitionTally share(Partition p, long missing, RunTally dedupe) {
      TreeMap<String, PartitionTally.FileRows> files = new TreeMap<>();
      for (FileTally f : dedupe.files().values()) {
        files.put(f.path(), new PartitionTally.FileRows(f.silver(), f.duplicates()));
      }
      carried
          .getOrDefault(p.path(), Map.of())
          .forEach(
              (file, dups) ->
                  files.merge(
                      file, new PartitionTally.FileRows(0, dups), PartitionTally.FileRows::plus));
      return new PartitionTally(p.group(), p.rows().size(), missing, files);
    }
  }
}
