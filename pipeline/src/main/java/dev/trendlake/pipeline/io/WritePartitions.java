package dev.trendlake.pipeline.io;

import dev.trendlake.transforms.model.RunTally;
import dev.trendlake.transforms.model.TrendingPartition;
import dev.trendlake.transforms.model.TrendingRow;
import java.io.IOException;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetWriter;

/**
 * Writes each joined partition as silver and gold Parquet into the staging area.
 *
 * <p>In: whole partitions ({@link TrendingPartition} with category titles), rows sorted by
 * video_id. Out: a {@link RunTally} per partition naming the staged files and their final places,
 * and the rows written per region. A partition becomes one file unless its rows exceed {@code
 * maxBytesPerFile} of raw CSV, in which case it rolls over to {@code part-00001} and so on: no
 * swarm of tiny files, no single huge one. The files of a partition are a pure function of its
 * rows, so every runner and every retry writes the same bytes under the same names.
 */
public final class WritePartitions extends PTransform<PCollection<TrendingPartition>, PCollection<RunTally>> {
  private final OutputPaths paths;
  private final long maxBytesPerFile;

  public WritePartitions(OutputPaths paths, long maxBytesPerFile) {
    this.paths = paths;
    this.maxBytesPerFile = maxBytesPerFile;
  }

  @Override
  public PCollection<RunTally> expand(PCollection<TrendingPartition> input) {
    return input
        .apply("WriteSilverAndGold", ParDo.of(new WriteFn(paths, maxBytesPerFile)))
        .setCoder(SerializableCoder.of(RunTally.class));
  }

  static final class WriteFn extends DoFn<TrendingPartition, RunTally> {
    private final OutputPaths paths;
    private final long maxBytesPerFile;
    private final Counter silverRows = Metrics.counter(WritePartitions.class, "silver_rows");
    private final Counter goldRows = Metrics.counter(WritePartitions.class, "gold_rows");
    private final Counter files = Metrics.counter(WritePartitions.class, "files");
    private transient Configuration conf;

    WriteFn(OutputPaths paths, long maxBytesPerFile) {
      this.paths = paths;
      this.maxBytesPerFile = maxBytesPerFile;
    }

    @Setup
    public void setup() {
      conf = ParquetFiles.configuration();
    }

    @ProcessElement
    public void process(@Element TrendingPartition p, OutputReceiver<RunTally> out) throws IOException {
      RunTally tally = new RunTally();
      String part = p.partition();
      List<TrendingRow> rows = p.rows();
      String silverDir = OutputPaths.SILVER_STATISTICS + "/" + part;
      String goldDir = OutputPaths.GOLD_TRENDING + "/" + part;
      tally.partitions.put(silverDir, "parquet");
      tally.partitions.put(goldDir, "parquet");
      int file = 0;
      int start = 0;
      while (start < rows.size()) {
        int end = start;
        long bytes = 0;
        while (end < rows.size() && (end == start || bytes + rows.get(end).raw().length <= maxBytesPerFile)) {
          bytes += rows.get(end).raw().length;
          end++;
        }
        String name = OutputPaths.partName(file, "parquet");
        writeSlice(tally, silverDir + "/" + name, rows, null, start, end, false);
        writeSlice(tally, goldDir + "/" + name, rows, p.categoryTitles(), start, end, true);
        file++;
        start = end;
      }
      RunTally.RegionTally rt = tally.region(p.region());
      rt.silver += rows.size();
      rt.gold += rows.size();
      silverRows.inc(rows.size());
      goldRows.inc(rows.size());
      out.output(tally);
    }

    private void writeSlice(
        RunTally tally, String relative, List<TrendingRow> rows, List<String> titles, int start, int end, boolean gold)
        throws IOException {
      String staged = paths.staging(relative);
      try (ParquetWriter<GenericRecord> w =
          ParquetFiles.open(staged, gold ? Schemas.GOLD : Schemas.SILVER_STATISTICS, conf)) {
        for (int i = start; i < end; i++) {
          TrendingRow r = rows.get(i);
          w.write(gold ? Records.gold(r, titles.get(i)) : Records.silver(r));
        }
      }
      files.inc();
      tally.staged.put(staged, paths.resolve(relative));
    }
  }
}
