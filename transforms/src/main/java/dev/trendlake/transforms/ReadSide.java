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
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
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

  @Override
  public PCollectionTuple expand(PCollection<MatchResult.Metadata> files) {
    RowCoder coder = RowCoder.of(side.schema());
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
                "KeyByJoinKey",
                WithKeys.<String, Row>of(side::key).withKeyType(TypeDescriptors.strings()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), coder))
            .apply("GroupByKey", GroupByKey.create())
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

  /** The side input of a dataset's main read: {@link SideTable#value} by key, built once. */
  public static PCollectionView<Map<String, String>> view(
      SideTable side, PCollection<Row> rows, String stepName) {
    return rows.apply(
            stepName,
            MapElements.into(
                    TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
                .via((Row r) -> KV.of(side.key(r), side.value(r))))
        .apply("AsMap", View.asMap());
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
          Comparator.comparing((Row c) -> c.get(side.sourceFile()))
              .thenComparing(side::value, Comparator.nullsFirst(Comparator.naturalOrder())));
      RunTally.Builder tally = RunTally.builder();
      Row keep = all.get(0);
      tally.file(keep.get(side.sourceFile()), side.kind()).silver(1);
      String rowGroup = side.rowGroup(keep);
      if (rowGroup != null) {
        tally.region(rowGroup, new RegionTally(0, 0, 0, 1));
      }
      for (int i = 1; i < all.size(); i++) {
        tally.file(all.get(i).get(side.sourceFile()), side.kind()).duplicates(1);
      }
      out.get(ROWS).output(keep);
      out.get(TALLIES).output(tally.build());
    }
  }

  private static byte[] readFully(MatchResult.Metadata file) throws IOException {
    try (InputStream in = Channels.newInputStream(FileSystems.open(file.resourceId()))) {
      return in.readAllBytes();
    }
  }
}
