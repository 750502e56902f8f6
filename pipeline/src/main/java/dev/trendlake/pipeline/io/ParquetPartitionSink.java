package dev.trendlake.pipeline.io;

import dev.trendlake.transforms.PartitionSink;
import dev.trendlake.transforms.model.RunTally;
import dev.trendlake.transforms.model.TrendingPartition;
import dev.trendlake.transforms.model.TrendingRow;
import java.io.IOException;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetWriter;

/**
 * Writes a finished partition as silver and gold Parquet into the staging area.
 *
 * <p>A partition becomes one file unless its rows exceed {@code maxBytesPerFile} of source CSV, in
 * which case it rolls over to {@code part-00001} and so on: no swarm of tiny files, no single huge
 * one. The files are a pure function of the partition's rows (sorted by video_id), so every runner
 * and every retry writes the same bytes under the same names. Returns the staged files with their
 * final places and the rows written per region.
 */
public final class ParquetPartitionSink implements PartitionSink {
  private static final long serialVersionUID = 1L;

  private final OutputPaths paths;
  private final long maxBytesPerFile;
  private transient Configuration conf;

  public ParquetPartitionSink(OutputPaths paths, long maxBytesPerFile) {
    this.paths = paths;
    this.maxBytesPerFile = maxBytesPerFile;
  }

  @Override
  public void setup() {
    conf = ParquetFiles.configuration();
  }

  @Override
  public RunTally write(TrendingPartition p) throws IOException {
    if (conf == null) {
      setup();
    }
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
      while (end < rows.size()
          && (end == start || bytes + rows.get(end).sourceBytes() <= maxBytesPerFile)) {
        bytes += rows.get(end).sourceBytes();
        end++;
      }
      String name = OutputPaths.partName(file, "parquet");
      writeSlice(tally, silverDir + "/" + name, goldDir + "/" + name, rows, start, end);
      file++;
      start = end;
    }
    RunTally.RegionTally rt = tally.region(p.region());
    rt.silver += rows.size();
    rt.gold += rows.size();
    return tally;
  }

  /** Writes rows [start, end) as one silver and one gold file, encoding each row's text once. */
  private void writeSlice(
      RunTally tally,
      String silverFile,
      String goldFile,
      List<TrendingRow> rows,
      int start,
      int end)
      throws IOException {
    String silverStaged = paths.staging(silverFile);
    String goldStaged = paths.staging(goldFile);
    try (ParquetWriter<GenericRecord> silver =
            ParquetFiles.open(silverStaged, Schemas.SILVER_STATISTICS, conf);
        ParquetWriter<GenericRecord> gold = ParquetFiles.open(goldStaged, Schemas.GOLD, conf)) {
      for (int i = start; i < end; i++) {
        TrendingRow r = rows.get(i);
        GenericRecord s = Records.silver(r);
        silver.write(s);
        gold.write(Records.gold(s, r.categoryTitle()));
      }
    }
    tally.staged.put(silverStaged, paths.resolve(silverFile));
    tally.staged.put(goldStaged, paths.resolve(goldFile));
  }
}
