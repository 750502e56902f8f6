package dev.trendlake.pipeline.io;

import dev.trendlake.transforms.Dataset;
import dev.trendlake.transforms.SideTable;
import dev.trendlake.transforms.coders.RowCoder;
import dev.trendlake.transforms.coders.RunTallyCoder;
import dev.trendlake.transforms.row.Col;
import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.tally.RunTally;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.hadoop.conf.Configuration;

/**
 * Writes a dataset's side input to silver, one Parquet file per partition of its schema ({@code
 * silver/categories/region=<xx>/}; a side table without partition columns is one folder, {@code
 * silver/tmdb_genres/}), in {@link SideTable#compareOutput} order, into the staging area. Out: one
 * {@link RunTally} per folder.
 */
public final class WriteSide extends PTransform<PCollection<Row>, PCollection<RunTally>> {
  private final OutputPaths paths;
  private final SideTable side;

  public WriteSide(OutputPaths paths, SideTable side) {
    this.paths = paths;
    this.side = side;
  }

  /**
   * The silver folder a side file's rows are written to, relative to the output root, or null when
   * its group names no folder (a file with no usable region). A run that read the file replaces
   * that folder, even when none of its rows survived.
   */
  public static String folderOfFile(SideTable side, String fileGroup) {
    List<Col<?>> parts = side.schema().partitionCols();
    if (parts.isEmpty()) {
      return side.table();
    }
    if (fileGroup == null || "unknown".equals(fileGroup) || Dataset.ALL_GROUPS.equals(fileGroup)) {
      return null;
    }
    return side.table() + "/" + parts.get(0).name() + "=" + fileGroup;
  }

  /**
   * Writes one partition's side rows (sorted here) as its staged silver file, exactly as this
   * transform writes it, and returns the tally that replaces the folder with it: the continuous
   * commit writes the side table of every commit itself.
   */
  public static RunTally writePartition(
      OutputPaths paths, SideTable side, String partitionPath, List<Row> rows) throws IOException {
    Configuration conf = ParquetFiles.configuration();
    return write(
        paths,
        side,
        partitionPath,
        rows,
        FileLayout.of(Schemas.silver(side.schema()), side.schema().silverCols(), conf),
        conf,
        new ParquetValues(side.schema()));
  }

  /** The one way a side partition's silver file is written: sorted, staged, then its tally. */
  private static RunTally write(
      OutputPaths paths,
      SideTable side,
      String partitionPath,
      List<Row> rows,
      FileLayout layout,
      Configuration conf,
      ParquetValues values)
      throws IOException {
    List<Row> all = new ArrayList<>(rows);
    all.sort(side::compareOutput);
    String dir = folder(side, partitionPath);
    String relative = dir + "/" + OutputPaths.partName(0, "parquet");
    String staged = paths.staging(relative);
    values.startFiles();
    try (RowFileWriter w = ParquetFiles.open(staged, layout, conf, side.schema().plainColumns())) {
      for (Row c : all) {
        w.write(values.of(c));
      }
    }
    return RunTally.builder()
        .replace(dir, "parquet")
        .stage(staged, paths.resolve(relative))
        .build();
  }

  private static String folder(SideTable side, String partitionPath) {
    return partitionPath.isEmpty() ? side.table() : side.table() + "/" + partitionPath;
  }

  @Override
  public PCollection<RunTally> expand(PCollection<Row> rows) {
    SideTable s = side;
    return rows.apply(
            "KeyByPartition",
            WithKeys.<String, Row>of((Row c) -> s.schema().partitionPath(c))
                .withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), RowCoder.of(side.schema())))
        .apply("GroupByPartition", GroupByKey.create())
        .apply("WriteParquet", ParDo.of(new WriteFn(paths, side)))
        .setCoder(RunTallyCoder.of());
  }

  static final class WriteFn extends DoFn<KV<String, Iterable<Row>>, RunTally> {
    private final OutputPaths paths;
    private final SideTable side;
    private transient Configuration conf;
    private transient FileLayout layout;
    private transient ParquetValues values;

    WriteFn(OutputPaths paths, SideTable side) {
      this.paths = paths;
      this.side = side;
    }

    @Setup
    public void setup() {
      conf = ParquetFiles.configuration();
      layout = FileLayout.of(Schemas.silver(side.schema()), side.schema().silverCols(), conf);
      values = new ParquetValues(side.schema());
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<Row>> part, OutputReceiver<RunTally> out)
        throws IOException {
      List<Row> all = new ArrayList<>();
      part.getValue().forEach(all::add);
      out.output(write(paths, side, part.getKey(), all, layout, conf, values));
    }
  }
}
