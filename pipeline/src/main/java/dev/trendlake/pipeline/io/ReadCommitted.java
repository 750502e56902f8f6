package dev.trendlake.pipeline.io;

import dev.trendlake.transforms.Dataset;
import dev.trendlake.transforms.coders.RowCoder;
import dev.trendlake.transforms.row.Row;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;

/**
 * Reads committed partitions back, for an incremental run that rewrites them: the silver rows
 * (which carry their lineage) of each partition named in the input, joined again with the current
 * side input ({@link Dataset#join}), in batches keyed by partition like {@code ReadStatistics}'s
 * rows, so they meet the new rows in the same shuffle and go through the same dedupe. Only
 * partitions the committed state holds ({@code mergeable}) are read; any other name is a partition
 * new rows create.
 *
 * <p>An I/O error fails the bundle so the runner retries it; a committed file that can't be read as
 * Parquet fails the run (the lake is damaged, and a rewrite would lose its rows).
 */
public final class ReadCommitted
    extends PTransform<PCollection<String>, PCollection<KV<String, List<Row>>>> {
  private final OutputPaths paths;
  private final Dataset dataset;
  private final Set<String> mergeable;
  private final PCollectionView<Map<String, String>> titles;

  public ReadCommitted(
      OutputPaths paths,
      Dataset dataset,
      Set<String> mergeable,
      PCollectionView<Map<String, String>> titles) {
    this.paths = paths;
    this.dataset = dataset;
    this.mergeable = mergeable;
    this.titles = titles;
  }

  /**
   * Every committed silver row of {@code partition} (with its lineage), not joined: for the
   * continuous commit, which joins them with the categories it commits.
   */
  public static List<Row> committedRows(OutputPaths paths, Dataset dataset, String partition)
      throws IOException {
    List<Row> out = new ArrayList<>();
    read(paths, dataset, partition, new SilverRows(dataset.schema()), out::add);
    return out;
  }

  /** Every committed silver row of {@code partition}, file by file in name order, to {@code to}. */
  private static void read(
      OutputPaths paths, Dataset dataset, String partition, SilverRows records, Consumer<Row> to)
      throws IOException {
    Row where = dataset.schema().partitionValues(partition);
    String dir = paths.resolve(dataset.silverTable() + "/" + partition);
    MatchResult m =
        FileSystems.match(List.of(dir + "/*.parquet"), EmptyMatchTreatment.ALLOW).get(0);
    List<MatchResult.Metadata> files = new ArrayList<>(m.metadata());
    files.sort(Comparator.comparing(f -> f.resourceId().toString()));
    for (MatchResult.Metadata f : files) {
      try (ParquetReader<GenericRecord> reader =
          AvroParquetReader.<GenericRecord>builder(new ChannelInputFile(f))
              .withConf(ParquetFiles.configuration())
              .build()) {
        GenericRecord r;
        while ((r = reader.read()) != null) {
          to.accept(records.fromSilver(r, where));
        }
      }
    }
  }

  @Override
  public PCollection<KV<String, List<Row>>> expand(PCollection<String> partitions) {
    return partitions
        .apply(
            "ReadSilverAndJoin",
            ParDo.of(new ReadFn(paths, dataset, mergeable, titles)).withSideInputs(titles))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), ListCoder.of(RowCoder.of(dataset.schema()))));
  }

  static final class ReadFn extends DoFn<String, KV<String, List<Row>>> {
    private static final int BATCH_ROWS = 256;
    private final OutputPaths paths;
    private final Dataset dataset;
    private final Set<String> mergeable;
    private final PCollectionView<Map<String, String>> titles;
    private final Counter rowsRead = Metrics.counter(ReadCommitted.class, "committed_rows_read");
    private transient SilverRows records;

    ReadFn(
        OutputPaths paths,
        Dataset dataset,
        Set<String> mergeable,
        PCollectionView<Map<String, String>> titles) {
      this.paths = paths;
      this.dataset = dataset;
      this.mergeable = mergeable;
      this.titles = titles;
    }

    @Setup
    public void setup() {
      records = new SilverRows(dataset.schema());
    }

    @ProcessElement
    public void process(@Element String partition, ProcessContext c) throws IOException {
      if (!mergeable.contains(partition)) {
        return;
      }
      Map<String, String> titleByKey = c.sideInput(titles);
      List<Row> batch = new ArrayList<>(BATCH_ROWS);
      read(
          paths,
          dataset,
          partition,
          records,
          r -> {
            batch.add(dataset.join(r, titleByKey));
            rowsRead.inc();
            if (batch.size() == BATCH_ROWS) {
              c.output(KV.of(partition, new ArrayList<>(batch))); // a copy: batch is reused
              batch.clear();
            }
          });
      if (!batch.isEmpty()) {
        c.output(KV.of(partition, batch));
      }
    }
  }
}
