package dev.trendlake.transforms;

import dev.trendlake.transforms.coders.RejectedCoder;
import dev.trendlake.transforms.coders.RowCoder;
import dev.trendlake.transforms.coders.RunTallyCoder;
import dev.trendlake.transforms.model.Rejected;
import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.tally.FileTally;
import dev.trendlake.transforms.tally.RegionTally;
import dev.trendlake.transforms.tally.RunTally;
import dev.trendlake.transforms.youtube.CategoryColumns;
import dev.trendlake.transforms.youtube.CategoryJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Reads category JSON files into one category row ({@link CategoryColumns}) per (region,
 * category_id).
 *
 * <p>The same (region, id) may be defined by several files: the one from the first file in path
 * order is kept (the same choice on every runner) and the others are counted as duplicates of their
 * file. Out: {@link #CATEGORIES}, {@link #REJECTED} (malformed files and unusable items, to {@code
 * quarantine/categories}), {@link #TALLIES}.
 */
public final class ReadCategories
    extends PTransform<PCollection<MatchResult.Metadata>, PCollectionTuple> {
  public static final TupleTag<Row> CATEGORIES = new TupleTag<>() {};
  public static final TupleTag<Rejected> REJECTED = new TupleTag<>() {};
  public static final TupleTag<RunTally> TALLIES = new TupleTag<>() {};
  private static final TupleTag<Row> PARSED = new TupleTag<>() {};
  private static final TupleTag<RunTally> PARSE_TALLIES = new TupleTag<>() {};

  private final String bronzeRoot;

  public ReadCategories(String bronzeRoot) {
    this.bronzeRoot = bronzeRoot;
  }

  @Override
  public PCollectionTuple expand(PCollection<MatchResult.Metadata> files) {
    PCollectionTuple parsed =
        files.apply(
            "ParseJson",
            ParDo.of(new ParseFn(bronzeRoot))
                .withOutputTags(PARSED, TupleTagList.of(REJECTED).and(PARSE_TALLIES)));
    parsed.get(PARSED).setCoder(RowCoder.of(CategoryColumns.SCHEMA));
    parsed.get(REJECTED).setCoder(RejectedCoder.of());
    parsed.get(PARSE_TALLIES).setCoder(RunTallyCoder.of());

    PCollectionTuple deduped =
        parsed
            .get(PARSED)
            .apply(
                "KeyByRegionAndId",
                WithKeys.<String, Row>of(CategoryColumns::key)
                    .withKeyType(TypeDescriptors.strings()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), RowCoder.of(CategoryColumns.SCHEMA)))
            .apply("GroupById", GroupByKey.create())
            .apply(
                "KeepFirstByFile",
                ParDo.of(new KeepFirstFn()).withOutputTags(CATEGORIES, TupleTagList.of(TALLIES)));
    deduped.get(CATEGORIES).setCoder(RowCoder.of(CategoryColumns.SCHEMA));
    deduped.get(TALLIES).setCoder(RunTallyCoder.of());

    PCollection<RunTally> allTallies =
        org.apache.beam.sdk.values.PCollectionList.of(parsed.get(PARSE_TALLIES))
            .and(deduped.get(TALLIES))
            .apply("FlattenTallies", org.apache.beam.sdk.transforms.Flatten.pCollections());
    return PCollectionTuple.of(CATEGORIES, deduped.get(CATEGORIES))
        .and(REJECTED, parsed.get(REJECTED))
        .and(TALLIES, allTallies);
  }

  /**
   * The side input of {@link ReadStatistics#withCategories}: title by (region, category_id), built
   * once.
   */
  public static PCollectionView<Map<String, String>> titlesView(PCollection<Row> categories) {
    return categories
        .apply(
            "TitleByRegionAndId",
            MapElements.into(
                    TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
                .via((Row c) -> KV.of(CategoryColumns.key(c), c.get(CategoryColumns.TITLE))))
        .apply("AsMap", View.asMap());
  }

  static final class ParseFn extends DoFn<MatchResult.Metadata, Row> {
    private final String bronzeRoot;

    ParseFn(String bronzeRoot) {
      this.bronzeRoot = bronzeRoot;
    }

    @ProcessElement
    public void process(@Element MatchResult.Metadata file, MultiOutputReceiver out)
        throws IOException {
      String path = BronzePaths.relativize(bronzeRoot, file.resourceId().toString());
      String region = BronzePaths.categoryRegion(path);
      CategoryJson.Result r = CategoryJson.parse(path, region, readFully(file));
      RunTally.Builder tally = RunTally.builder();
      FileTally.Builder ft = tally.file(path, Rejected.CATEGORIES);
      ft.region(region == null ? "unknown" : region)
          .layout("videoCategories.list")
          .read(file.sizeBytes(), BronzePaths.changeToken(file));
      ft.records(r.records());
      for (Rejected x : r.rejected()) {
        ft.quarantined(x.reason().code(), 1);
        out.get(REJECTED).output(x);
      }
      for (Row c : r.categories()) {
        out.get(PARSED).output(c);
      }
      out.get(PARSE_TALLIES).output(tally.build());
    }
  }

  static final class KeepFirstFn extends DoFn<KV<String, Iterable<Row>>, Row> {
    private static final Comparator<Row> ORDER =
        Comparator.comparing((Row c) -> c.get(CategoryColumns.SOURCE_FILE))
            .thenComparing(c -> c.get(CategoryColumns.TITLE));

    @ProcessElement
    public void process(@Element KV<String, Iterable<Row>> group, MultiOutputReceiver out) {
      List<Row> all = new ArrayList<>();
      group.getValue().forEach(all::add);
      all.sort(ORDER);
      RunTally.Builder tally = RunTally.builder();
      Row keep = all.get(0);
      tally.file(keep.get(CategoryColumns.SOURCE_FILE), Rejected.CATEGORIES).silver(1);
      tally.region(keep.get(CategoryColumns.REGION), new RegionTally(0, 0, 0, 1));
      for (int i = 1; i < all.size(); i++) {
        tally.file(all.get(i).get(CategoryColumns.SOURCE_FILE), Rejected.CATEGORIES).duplicates(1);
      }
      out.get(CATEGORIES).output(keep);
      out.get(TALLIES).output(tally.build());
    }
  }

  private static byte[] readFully(MatchResult.Metadata file) throws java.io.IOException {
    try (java.io.InputStream in =
        java.nio.channels.Channels.newInputStream(FileSystems.open(file.resourceId()))) {
      return in.readAllBytes();
    }
  }
}
