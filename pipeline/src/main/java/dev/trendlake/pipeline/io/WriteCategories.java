package dev.trendlake.pipeline.io;

import dev.trendlake.transforms.coders.CategoryCoder;
import dev.trendlake.transforms.coders.RunTallyCoder;
import dev.trendlake.transforms.model.Category;
import dev.trendlake.transforms.model.RunTally;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetWriter;

/**
 * Writes silver categories, one Parquet file per region ({@code silver/categories/region=<xx>/}),
 * sorted by category_id, into the staging area. Out: one {@link RunTally} per region.
 */
public final class WriteCategories
    extends PTransform<PCollection<Category>, PCollection<RunTally>> {
  private final OutputPaths paths;

  public WriteCategories(OutputPaths paths) {
    this.paths = paths;
  }

  @Override
  public PCollection<RunTally> expand(PCollection<Category> categories) {
    return categories
        .apply("KeyByRegion", WithKeys.<String, Category>of((Category c) -> c.region()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), CategoryCoder.of()))
        .apply("GroupByRegion", GroupByKey.create())
        .apply("WriteParquet", ParDo.of(new WriteFn(paths)))
        .setCoder(RunTallyCoder.of());
  }

  static final class WriteFn extends DoFn<KV<String, Iterable<Category>>, RunTally> {
    private final OutputPaths paths;
    private transient Configuration conf;

    WriteFn(OutputPaths paths) {
      this.paths = paths;
    }

    @Setup
    public void setup() {
      conf = ParquetFiles.configuration();
    }

    @ProcessElement
    public void process(
        @Element KV<String, Iterable<Category>> region, OutputReceiver<RunTally> out)
        throws IOException {
      List<Category> all = new ArrayList<>();
      region.getValue().forEach(all::add);
      all.sort(Comparator.comparingLong(Category::categoryId));
      String dir = OutputPaths.SILVER_CATEGORIES + "/region=" + region.getKey();
      String relative = dir + "/" + OutputPaths.partName(0, "parquet");
      String staged = paths.staging(relative);
      try (ParquetWriter<GenericRecord> w =
          ParquetFiles.open(staged, Schemas.SILVER_CATEGORIES, conf)) {
        for (Category c : all) {
          w.write(Records.category(c));
        }
      }
      RunTally tally = new RunTally();
      tally.partitions.put(dir, "parquet");
      tally.staged.put(staged, paths.resolve(relative));
      out.output(tally);
    }
  }
}
