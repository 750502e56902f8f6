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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
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
 *
 * <p>Why the duplicates are resolved per region, not per (region, id): the DirectRunner runs each
 * key of a grouping as its own bundle, and every later grouping under one key (the side input's
 * materialisation, the per-region writer, the run's tally merge) copies its whole bag of values
 * each time a bundle adds to it. One bundle per category made a file of n categories cost n²
 * decodes; one per region keeps every step linear in the categories.
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
                "KeyByRegion",
                WithKeys.<String, Row>of((Row c) -> c.get(CategoryColumns.REGION))
                    .withKeyType(TypeDescriptors.strings()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), RowCoder.of(CategoryColumns.SCHEMA)))
            .apply("GroupByRegion", GroupByKey.create())
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
   * once into one map and read as a singleton. A {@code View.asMap} would be rebuilt from its
   * entries at every read on the DirectRunner (once per statistics file); a singleton is the map
   * itself.
   */
  public static PCollectionView<Map<String, String>> titlesView(PCollection<Row> categories) {
    return categories
        .apply(
            "TitleByRegionAndId",
            MapElements.into(
                    TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
                .via((Row c) -> KV.of(CategoryColumns.key(c), c.get(CategoryColumns.TITLE))))
        .apply("AsOneMap", Combine.globally(new ToMapFn()).asSingletonView());
  }

  /** Collects (key, title) pairs into one map; keys are unique after {@link KeepFirstFn}. */
  static final class ToMapFn
      extends Combine.CombineFn<KV<String, String>, Map<String, String>, Map<String, String>> {
    @Override
    public Map<String, String> createAccumulator() {
      return new HashMap<>();
    }

    @Override
    public Map<String, String> addInput(Map<String, String> acc, KV<String, String> in) {
      acc.put(in.getKey(), in.getValue());
      return acc;
    }

    @Override
    public Map<String, String> mergeAccumulators(Iterable<Map<String, String>> accs) {
      Map<String, String> out = new HashMap<>();
      accs.forEach(out::putAll);
      return out;
    }

    @Override
    public Map<String, String> extractOutput(Map<String, String> acc) {
      return acc;
    }

    @Override
    public Coder<Map<String, String>> getAccumulatorCoder(
        CoderRegistry r, Coder<KV<String, String>> in) {
      return MapCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of());
    }

    @Override
    public Coder<Map<String, String>> getDefaultOutputCoder(
        CoderRegistry r, Coder<KV<String, String>> in) {
      return MapCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of());
    }
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

  /** Per region: the first definition of each id (by file, then title) is kept. */
  static final class KeepFirstFn extends DoFn<KV<String, Iterable<Row>>, Row> {
    private static final Comparator<Row> ORDER =
        Comparator.comparing((Row c) -> c.get(CategoryColumns.CATEGORY_ID))
            .thenComparing(c -> c.get(CategoryColumns.SOURCE_FILE))
            .thenComparing(c -> c.get(CategoryColumns.TITLE));

    @ProcessElement
    public void process(@Element KV<String, Iterable<Row>> region, MultiOutputReceiver out) {
      List<Row> all = new ArrayList<>();
      region.getValue().forEach(all::add);
      all.sort(ORDER);
      RunTally.Builder tally = RunTally.builder();
      Long lastId = null;
      long kept = 0;
      for (Row c : all) {
        Long id = c.get(CategoryColumns.CATEGORY_ID);
        FileTally.Builder file =
            tally.file(c.get(CategoryColumns.SOURCE_FILE), Rejected.CATEGORIES);
        if (id.equals(lastId)) {
          file.duplicates(1);
          continue;
        }
        lastId = id;
        kept++;
        file.silver(1);
        out.get(CATEGORIES).output(c);
      }
      tally.region(region.getKey(), new RegionTally(0, 0, 0, kept));
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
