package dev.trendlake.pipeline.io;

import dev.trendlake.transforms.coders.RowCoder;
import dev.trendlake.transforms.coders.RunTallyCoder;
import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.tally.RunTally;
import dev.trendlake.transforms.youtube.CategoryColumns;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
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
 * Writes silver categories, one Parquet file per region ({@code silver/categories/region=<xx>/}),
 * sorted by category_id, into the staging area. Out: one {@link RunTally} per region.
 */
public final class WriteCategories extends PTransform<PCollection<Row>, PCollection<RunTally>> {
  private final OutputPaths paths;

  public WriteCategories(OutputPaths paths) {
    this.paths = paths;
  }

  /**
   * Writes one region's categories (sorted here by category_id) as its staged silver file, exactly
   * as this transform writes it, and returns the tally that replaces the region's folder with it
   * (the continuous commit writes the categories of every commit itself).
   */
  public static RunTally writeRegion(OutputPaths paths, String region, List<Row> categories)
      throws IOException {
    Configuration conf = ParquetFiles.configuration();
    return write(
        paths,
        region,
        categories,
        FileLayout.of(Schemas.SILVER_CATEGORIES, CategoryColumns.SCHEMA.silverCols(), conf),
        conf,
        new ParquetValues(CategoryColumns.SCHEMA));
  }

  /** The one way a region's silver categories file is written: sorted, staged, then its tally. */
  private static RunTally write(
      OutputPaths paths,
      String region,
      List<Row> categories,
      FileLayout layout,
      Configuration conf,
      ParquetValues values)
      throws IOException {
    List<Row> all = new ArrayList<>(categories);
    all.sort(Comparator.comparingLong((Row c) -> c.get(CategoryColumns.CATEGORY_ID)));
    String dir = OutputPaths.SILVER_CATEGORIES + "/region=" + region;
    String relative = dir + "/" + OutputPaths.partName(0, "parquet");
    String staged = paths.staging(relative);
    values.startFiles();
    try (RowFileWriter w =
        ParquetFiles.open(staged, layout, conf, CategoryColumns.SCHEMA.plainColumns())) {
      for (Row c : all) {
        w.write(values.of(c));
      }
    }
    return RunTally.builder()
        .replace(dir, "parquet")
        .stage(staged, paths.resolve(relative))
        .build();
  }

  @Override
  public PCollection<RunTally> expand(PCollection<Row> categories) {
    return categories
        .apply(
            "KeyByRegion",
            WithKeys.<String, Row>of((Row c) -> c.get(CategoryColumns.REGION))
                .withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), RowCoder.of(CategoryColumns.SCHEMA)))
        .apply("GroupByRegion", GroupByKey.create())
        .apply("WriteParquet", ParDo.of(new WriteFn(paths)))
        .setCoder(RunTallyCoder.of());
  }

  static final class WriteFn extends DoFn<KV<String, Iterable<Row>>, RunTally> {
    private final OutputPaths paths;
    private transient Configuration conf;
    private transient FileLayout layout;
    private transient ParquetValues values;

    WriteFn(OutputPaths paths) {
      this.paths = paths;
    }

    @Setup
    public void setup() {
      conf = ParquetFiles.configuration();
      layout = FileLayout.of(Schemas.SILVER_CATEGORIES, CategoryColumns.SCHEMA.silverCols(), conf);
      values = new ParquetValues(CategoryColumns.SCHEMA);
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<Row>> region, OutputReceiver<RunTally> out)
        throws IOException {
      List<Row> all = new ArrayList<>();
      region.getValue().forEach(all::add);
      out.output(write(paths, region.getKey(), all, layout, conf, values));
    }
  }
}
