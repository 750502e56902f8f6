package dev.trendlake.transforms;

import dev.trendlake.transforms.coders.RejectedCoder;
import dev.trendlake.transforms.coders.RowCoder;
import dev.trendlake.transforms.coders.RunTallyCoder;
import dev.trendlake.transforms.model.Rejected;
import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.tally.FileTally;
import dev.trendlake.transforms.tally.RegionTally;
import dev.trendlake.transforms.tally.RunTally;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
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
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Reads a dataset's side-input files ({@link SideTable}) into one row per {@link SideTable#key}.
 *
 * <p>The same key may be defined by several files: the one from the first file in path order is
 * kept (then the smaller value, for two definitions in one file: the same choice on every runner)
 * and the others are counted as duplicates of their file. Out: {@link #ROWS}, {@link #REJECTED}
 * (malformed files and unusable records, to {@code quarantine/<kind>}), {@link #TALLIES}.
 *
 * <p>Why the duplicates are resolved per group ({@link SideTable#rowGroup}: YouTube's region; one
 * group for a side table that serves every group), not per key: the DirectRunner runs each key of a
 * grouping as its own bundle, and every later grouping under one key (the side input's
 * materialisation, the per-group writer, the run's tally merge) copies its whole bag of values each
 * time a bundle adds to it. One bundle per key made a file of n categories cost n² decodes; one per
 * group keeps every step linear in the rows.
 *
 * <p>The step names are those of YouTube's category read, kept for metrics and Flink savepoints.
 */
public final class ReadSide
    extends PTransform<PCollection<MatchResult.Metadata>, PCollectionTuple> {
  public static final TupleTag<Row> ROWS = new TupleTag<>() {};
  public static final TupleTag<Rejected> REJECTED = new TupleTag<>() {};
  public static final TupleTag<RunTally> TALLIES = new TupleTag<>() {};
  private static final TupleTag<Row> PARSED = new TupleTag<>() {};
  private static final TupleTag<RunTally> PARSE_TALLIES = new TupleTag<>() {};

  private final String bronzeRoot;
  private final SideTable side;

  public ReadSide(String bronzeRoot, SideTable side) {
    this.bronzeRoot = bronzeRoot;
    this.side = side;
  }

  /** The group a row is deduplicated in: its {@link SideTable#rowGroup}, or one for all. */
  static String dedupeGroup(SideTable side, Row row) {
    String g = side.rowGroup(row);
    return g == null ? Dataset.ALL_GROUPS : g;
  }

  @Override
  public PCollectionTuple expand(PCollection<MatchResult.Metadata> files) {
    RowCoder coder = RowCoder.of(side.schema());
    SideTable s = side;
    PCollectionTuple parsed =
        files.apply(
            "ParseJson",
            ParDo.of(new ParseFn(bronzeRoot, side))
                .withOutputTags(PARSED, TupleTagList.of(REJECTED).and(PARSE_TALLIES)));
    parsed.get(PARSED).setCoder(coder);
    parsed.get(REJECTED).setCoder(RejectedCoder.of());
    parsed.get(PARSE_TALLIES).setCoder(RunTallyCoder.of());

    PCollectionTuple deduped =
        parsed
            .get(PARSED)
            .apply(
                "KeyByRegion",
                WithKeys.<String, Row>of((Row r) -> dedupeGroup(s, r))
                    .withKeyType(TypeDescriptors.strings()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), coder))
            .apply("GroupByRegion", GroupByKey.create())
            .apply(
                "KeepFirstByFile",
                ParDo.of(new KeepFirstFn(side)).withOutputTags(ROWS, TupleTagList.of(TALLIES)));
    deduped.get(ROWS).setCoder(coder);
    deduped.get(TALLIES).setCoder(RunTallyCoder.of());

    PCollection<RunTally> allTallies =
        PCollectionList.of(parsed.get(PARSE_TALLIES))
            .and(deduped.get(TALLIES))
            .apply("FlattenTallies", Flatten.pCollections());
    return PCollectionTuple.of(ROWS, deduped.get(ROWS))
        .and(REJECTED, parsed.get(REJECTED))
        .and(TALLIES, allTallies);
  }

  /**
   * The side input of a dataset's main read: {@link SideTable#value} by {@link SideTable#key},
   * built once into one map and read as a singleton. A {@code View.asMap} would be rebuilt from its
   * entries at every read on the DirectRunner (once per main file); a singleton is the map itself.
   *
   * @param stepName the name of the keying step (YouTube's: {@code TitleByRegionAndId})
   */
  public static PCollectionView<Map<String, String>> view(
      SideTable side, PCollection<Row> rows, String stepName) {
    return rows.apply(
            stepName,
            MapElements.into(
                    TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
                .via((Row r) -> KV.of(side.key(r), side.value(r))))
        .apply("AsOneMap", Combine.globally(new ToMapFn()).asSingletonView());
  }

  /** Collects (key, value) pairs into one map; keys are unique after {@link KeepFirstFn}. */
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
    private final SideTable side;

    ParseFn(String bronzeRoot, SideTable side) {
      this.bronzeRoot = bronzeRoot;
      this.side = side;
    }

    @ProcessElement
    public void process(@Element MatchResult.Metadata file, MultiOutputReceiver out)
        throws IOException {
      String path = BronzePaths.relativize(bronzeRoot, file.resourceId().toString());
      String group = side.fileGroup(path);
      SideTable.Parsed r = side.parse(path, group, readFully(file));
      RunTally.Builder tally = RunTally.builder();
      FileTally.Builder ft = tally.file(path, side.kind());
      ft.region(group == null ? "unknown" : group)
          .layout(side.layout())
          .read(file.sizeBytes(), BronzePaths.changeToken(file));
      ft.records(r.records());
      for (Rejected x : r.rejected()) {
        ft.quarantined(x.reason().code(), 1);
        out.get(REJECTED).output(x);
      }
      for (Row c : r.rows()) {
        out.get(PARSED).output(c);
      }
      out.get(PARSE_TALLIES).output(tally.build());
    }
  }

  /** Per group: the first definition of each key (by file, then value) is kept. */
  static final class KeepFirstFn extends DoFn<KV<String, Iterable<Row>>, Row> {
    private final SideTable side;

    KeepFirstFn(SideTable side) {
      this.side = side;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<Row>> group, MultiOutputReceiver out) {
      List<Row> all = new ArrayList<>();
      group.getValue().forEach(all::add);
      all.sort(
          Comparator.comparing(side::key)
              .thenComparing((Row c) -> c.get(side.sourceFile()))
              .thenComparing(side::value, Comparator.nullsFirst(Comparator.naturalOrder())));
      RunTally.Builder tally = RunTally.builder();
      String lastKey = null;
      long kept = 0;
      for (Row c : all) {
        String key = side.key(c);
        FileTally.Builder file = tally.file(c.get(side.sourceFile()), side.kind());
        if (key.equals(lastKey)) {
          file.duplicates(1);
          continue;
        }
        lastKey = key;
        kept++;
        file.silver(1);
        out.get(ROWS).output(c);
      }
      if (!Dataset.ALL_GROUPS.equals(group.getKey())) {
        tally.region(group.getKey(), new RegionTally(0, 0, 0, kept));
      }
      out.get(TALLIES).output(tally.build());
    }
  }

  private static byte[] readFully(MatchResult.Metadata file) throws IOException {
    try (InputStream in = Channels.newInputStream(FileSystems.open(file.resourceId()))) {
      return in.readAllBytes();
    }
  }
}
