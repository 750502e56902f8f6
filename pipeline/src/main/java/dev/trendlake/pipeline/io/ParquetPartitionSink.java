package dev.trendlake.pipeline.io;

import dev.trendlake.pipeline.PausePoint;
import dev.trendlake.transforms.PartitionSink;
import dev.trendlake.transforms.row.Partition;
import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.row.RowSchema;
import dev.trendlake.transforms.tally.RegionTally;
import dev.trendlake.transforms.tally.RunTally;
import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/**
 * Writes a finished partition as silver and gold Parquet into the staging area.
 *
 * <p>A partition becomes one file unless its rows exceed {@code maxBytesPerFile} of source bytes,
 * in which case it rolls over to {@code part-00001} and so on: no swarm of tiny files, no single
 * huge one. The files are a pure function of the partition's rows (in output order), so every
 * runner and every retry writes the same rows under the same names. Returns the staged files with
 * their final places and the rows written per group.
 */
public final class ParquetPartitionSink implements PartitionSink {
  private static final long serialVersionUID = 1L;

  private final OutputPaths paths;
  private final RowSchema schema;
  private final String silverRoot;
  private final String goldRoot;
  private final long maxBytesPerFile;
  private transient Configuration conf;
  private transient FileLayout silver;
  private transient FileLayout gold;
  private transient ParquetValues values;

  /**
   * @param silverRoot silver's folder relative to the output root, e.g. {@code silver/statistics}
   * @param goldRoot gold's folder relative to the output root, e.g. {@code gold/trending}
   */
  public ParquetPartitionSink(
      OutputPaths paths,
      RowSchema schema,
      String silverRoot,
      String goldRoot,
      long maxBytesPerFile) {
    this.paths = paths;
    this.schema = schema;
    this.silverRoot = silverRoot;
    this.goldRoot = goldRoot;
    this.maxBytesPerFile = maxBytesPerFile;
  }

  @Override
  public void setup() {
    conf = ParquetFiles.configuration();
    silver = FileLayout.of(Schemas.silver(schema), schema.silverCols(), conf);
    gold = FileLayout.of(Schemas.gold(schema), schema.goldCols(), conf);
    values = new ParquetValues(schema);
  }

  @Override
  public RunTally write(Partition p) throws IOException {
    if (conf == null) {
      setup();
    }
    RunTally.Builder tally = RunTally.builder();
    List<Row> rows = p.rows();
    String silverDir = silverRoot + "/" + p.path();
    String goldDir = goldRoot + "/" + p.path();
    tally.replace(silverDir, "parquet").replace(goldDir, "parquet");
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
    tally.region(p.group(), new RegionTally(rows.size(), rows.size(), 0, 0));
    PausePoint.reach(PausePoint.WRITE);
    return tally.build();
  }

  /** Writes rows [start, end) as one silver and one gold file, encoding each row's text once. */
  private void writeSlice(
      RunTally.Builder tally,
      String silverFile,
      String goldFile,
      List<Row> rows,
      int start,
      int end)
      throws IOException {
    String silverStaged = paths.staging(silverFile);
    String goldStaged = paths.staging(goldFile);
    values.startFiles();
    try (RowFileWriter s = ParquetFiles.open(silverStaged, silver, conf, schema.plainColumns());
        RowFileWriter g = ParquetFiles.open(goldStaged, gold, conf, schema.plainColumns())) {
      for (int i = start; i < end; i++) {
        Object[] v = values.of(rows.get(i));
        s.write(v);
        g.write(v);
      }
    }
    tally.stage(silverStaged, paths.resolve(silverFile));
    tally.stage(goldStaged, paths.resolve(goldFile));
  }
}
