package dev.trendlake.transforms;

import dev.trendlake.transforms.coders.RejectedCoder;
import dev.trendlake.transforms.coders.RowCoder;
import dev.trendlake.transforms.coders.RunTallyCoder;
import dev.trendlake.transforms.coders.VersionedCoder;
import dev.trendlake.transforms.csv.CsvRecord;
import dev.trendlake.transforms.csv.CsvRecordReader;
import dev.trendlake.transforms.model.Reason;
import dev.trendlake.transforms.model.Rejected;
import dev.trendlake.transforms.model.Versioned;
import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.tally.FileTally;
import dev.trendlake.transforms.tally.RunTally;
import dev.trendlake.transforms.youtube.CategoryColumns;
import dev.trendlake.transforms.youtube.Layout;
import dev.trendlake.transforms.youtube.RawStatistic;
import dev.trendlake.transforms.youtube.StatisticsRules;
import dev.trendlake.transforms.youtube.TrendingColumns;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Reads whole statistics CSV files, streaming, and applies the cleaning rules to every record.
 *
 * <p>In: the matched {@code raw_statistics/**.csv} files. Out, under three tags: {@link #ROWS},
 * clean typed rows in batches of up to {@link #BATCH_ROWS} rows of one output partition, keyed by
 * it ({@link dev.trendlake.transforms.row.RowSchema#partitionPath}), ready for the one shuffle that
 * deduplicates and writes them; {@link #REJECTED}, every record that broke a rule (file with no
 * known layout or no region, wrong field count, a last record cut off inside a quoted field, then
 * the cleaning rules of {@link StatisticsRules} in contract order); {@link #TALLIES}, one per file:
 * records read, layout, encoding repairs, quarantine by reason.
 *
 * <p>Why parsing and cleaning share one DoFn: on Flink's batch translation every DoFn boundary
 * serialises each element, and parsed records carry every text field. Each step is still its own
 * unit ({@link CsvRecordReader}, {@link Layout}, {@link StatisticsRules}), tested on its own.
 *
 * <p>{@link #withCategories} also left-joins each clean row with the categories side input on
 * (region, category_id) ({@link CategoryColumns#join}). The join belongs to gold, but it runs here
 * on purpose: a DoFn with a side input is a two-input operator on Flink and cannot be chained to
 * the operator before it, so joining after the shuffle serialised every row once more between the
 * grouping and the writer. Here the DoFn's main input is only the list of files.
 *
 * <p>Why batches: Beam's GroupByKey on Flink's batch path pays per element (a sort record, a state
 * namespace encoded to Base64, a keyed-state append), about 10% of a 1M-row run's CPU when every
 * row was an element. A file holds one region and a few days, so batches fill; each file's last
 * batches are flushed when it ends, so nothing waits on another file and the output does not depend
 * on bundle sizes.
 *
 * <p>An I/O error while reading is not a data error: it fails the bundle so the runner retries.
 */
public final class ReadStatistics
    extends PTransform<PCollection<MatchResult.Metadata>, PCollectionTuple> {
  public static final TupleTag<KV<String, List<Row>>> ROWS = ReadTags.ROWS;

  /** Rows per batch: ~100 KB of text, so a file's open batches stay a few MB. */
  public static final int BATCH_ROWS = 32;

  public static final TupleTag<Rejected> REJECTED = ReadTags.REJECTED;
  public static final TupleTag<RunTally> TALLIES = ReadTags.TALLIES;

  private final String bronzeRoot;
  private final PCollectionView<Map<String, String>> titles;
  private final Rebuild rebuild;
  private final boolean versions;

  /**
   * @param bronzeRoot the input root; source paths are recorded relative to it
   */
  public ReadStatistics(String bronzeRoot) {
    this(bronzeRoot, null, Rebuild.NONE, false);
  }

  private ReadStatistics(
      String bronzeRoot,
      PCollectionView<Map<String, String>> titles,
      Rebuild rebuild,
      boolean versions) {
    this.bronzeRoot = bronzeRoot;
    this.titles = titles;
    this.rebuild = rebuild;
    this.versions = versions;
  }

  /**
   * Also join each row with its category title from {@code titles} ({@link
   * ReadCategories#titlesView}).
   */
  public ReadStatistics withCategories(PCollectionView<Map<String, String>> titles) {
    return new ReadStatistics(bronzeRoot, titles, rebuild, versions);
  }

  /** Read {@code rebuild}'s files for its partitions only ({@link Rebuild}). */
  public ReadStatistics withRebuild(Rebuild r) {
    return new ReadStatistics(bronzeRoot, titles, r, versions);
  }

  /**
   * Give rows and rejects with their file's change token, under {@link ReadTags#VERSIONED_ROWS} and
   * {@link ReadTags#VERSIONED_REJECTED} instead of {@link #ROWS} and {@link #REJECTED}: a
   * continuous job holds rows across checkpoints while their file may change, and its commit must
   * tell one version's rows from another's.
   */
  public ReadStatistics withVersions() {
    return new ReadStatistics(bronzeRoot, titles, rebuild, true);
  }

  @Override
  public PCollectionTuple expand(PCollection<MatchResult.Metadata> files) {
    TupleTagList others =
        versions
            ? TupleTagList.of(ReadTags.VERSIONED_ROWS).and(ReadTags.VERSIONED_REJECTED).and(TALLIES)
            : TupleTagList.of(REJECTED).and(TALLIES);
    ParDo.MultiOutput<MatchResult.Metadata, KV<String, List<Row>>> parse =
        ParDo.of(new ReadFn(bronzeRoot, titles, rebuild, versions)).withOutputTags(ROWS, others);
    PCollectionTuple out =
        files.apply(
            titles == null ? "ParseAndClean" : "ParseCleanAndJoin",
            titles == null ? parse : parse.withSideInputs(titles));
    ListCoder<Row> batch = ListCoder.of(RowCoder.of(TrendingColumns.SCHEMA));
    out.get(ROWS).setCoder(KvCoder.of(StringUtf8Coder.of(), batch));
    if (versions) {
      out.get(ReadTags.VERSIONED_ROWS)
          .setCoder(KvCoder.of(StringUtf8Coder.of(), VersionedCoder.of(batch)));
      out.get(ReadTags.VERSIONED_REJECTED).setCoder(VersionedCoder.of(RejectedCoder.of()));
    } else {
      out.get(REJECTED).setCoder(RejectedCoder.of());
    }
    out.get(TALLIES).setCoder(RunTallyCoder.of());
    return out;
  }

  static final class ReadFn extends StageTimedDoFn<MatchResult.Metadata, KV<String, List<Row>>> {
    private final String bronzeRoot;
    private final PCollectionView<Map<String, String>> titles;
    private final Rebuild rebuild;
    private final boolean versions;
    private final Counter records = Metrics.counter(ReadStatistics.class, "records");
    private final Counter clean = Metrics.counter(ReadStatistics.class, "clean");
    private final Counter rejected = Metrics.counter(ReadStatistics.class, "rejected");
    private final Counter files = Metrics.counter(ReadStatistics.class, "files");
    private final Counter bytes = Metrics.counter(ReadStatistics.class, "bytes");

    ReadFn(
        String bronzeRoot,
        PCollectionView<Map<String, String>> titles,
        Rebuild rebuild,
        boolean versions) {
      super(READ);
      this.bronzeRoot = bronzeRoot;
      this.titles = titles;
      this.rebuild = rebuild;
      this.versions = versions;
    }

    @ProcessElement
    public void process(
        @Element MatchResult.Metadata file, ProcessContext ctx, MultiOutputReceiver out)
        throws IOException {
      Map<String, String> titleByKey = titles == null ? null : ctx.sideInput(titles);
      String path = BronzePaths.relativize(bronzeRoot, file.resourceId().toString());
      files.inc();
      bytes.inc(file.sizeBytes());
      String token = versions ? BronzePaths.changeToken(file) : null;
      readFile(
          bronzeRoot,
          file,
          titleByKey,
          new Emitter(out, rebuild.onlyPartitions(path), token, this));
    }

    /**
     * Where a file's outputs go: all of them, or for a file read only to rebuild some partitions,
     * just its rows of those partitions; with the file's change {@code token} when versions were
     * asked for.
     */
    private record Emitter(
        MultiOutputReceiver out, Set<String> onlyPartitions, String token, ReadFn fn)
        implements FileSink {
      @Override
      public void rows(String partition, List<Row> batch) {
        fn.clean.inc(batch.size());
        fn.records.inc(batch.size());
        if (onlyPartitions == null || onlyPartitions.contains(partition)) {
          if (token != null) {
            out.get(ReadTags.VERSIONED_ROWS)
                .output(KV.of(partition, new Versioned<>(token, batch)));
          } else {
            out.get(ROWS).output(KV.of(partition, batch));
          }
        }
      }

      @Override
      public void reject(Rejected r) {
        fn.rejected.inc();
        fn.records.inc();
        if (onlyPartitions == null) {
          if (token != null) {
            out.get(ReadTags.VERSIONED_REJECTED).output(new Versioned<>(token, r));
          } else {
            out.get(REJECTED).output(r);
          }
        }
      }

      @Override
      public void tally(RunTally t) {
        if (onlyPartitions == null) {
          out.get(TALLIES).output(t);
        }
      }
    }
  }

  /** What reading one file gives, in the order the reader finds it. */
  public interface FileSink {
    /** Up to {@link #BATCH_ROWS} clean rows of one output partition. */
    void rows(String partition, List<Row> batch);

    /** A record that broke a rule. */
    void reject(Rejected r);

    /** The file's tally, once it is read to the end. */
    void tally(RunTally t);
  }

  /**
   * Reads one statistics file whole: every record parsed, cleaned and, with {@code titleByKey},
   * joined with its category title. Outside a pipeline too: a continuous commit reads a processed
   * file again with it to rebuild the partitions of a retracted one.
   *
   * @param titleByKey category titles by (region, category_id); null: rows are not joined
   */
  public static void readFile(
      String bronzeRoot, MatchResult.Metadata file, Map<String, String> titleByKey, FileSink emit)
      throws IOException {
    String path = BronzePaths.relativize(bronzeRoot, file.resourceId().toString());
    String region = BronzePaths.regionFromFolders(path);
    RunTally.Builder tally = RunTally.builder();
    FileTally.Builder ft = tally.file(path, Rejected.STATISTICS);
    ft.region(region == null ? "unknown" : region)
        .read(file.sizeBytes(), BronzePaths.changeToken(file));
    String rejectRegion = ft.region();
    // open batches of this file by trending date (its rows all have the file's region)
    Map<Integer, List<Row>> open = new TreeMap<>();
    try (InputStream in =
            new BufferedInputStream(
                Channels.newInputStream(FileSystems.open(file.resourceId())), 1 << 16);
        CsvRecordReader reader = new CsvRecordReader(in)) {
      CsvRecord header = reader.next();
      if (header == null) {
        ft.layout("empty");
        emit.tally(tally.build());
        return;
      }
      ft.encodingRepairs(header.encodingRepairs());
      List<String> names = header.fields();
      Layout layout = Layout.detect(names);
      ft.layout(layout.id());
      int[] idx = layout.columnIndexes(names);
      int width = names.size();
      String layoutProblem =
          layout == Layout.UNKNOWN
              ? "header "
                  + abbreviate(String.join(",", names))
                  + " matches no known layout (kaggle_2017 lacks "
                  + Layout.KAGGLE_2017.missing(names)
                  + "; api_2020 lacks "
                  + Layout.API_2020.missing(names)
                  + ")"
              : null;
      CsvRecord rec;
      while ((rec = reader.next()) != null) {
        ft.records(1);
        ft.encodingRepairs(rec.encodingRepairs());
        Reason reason = null;
        String detail = null;
        if (layoutProblem != null) {
          reason = Reason.UNKNOWN_LAYOUT;
          detail = layoutProblem;
        } else if (region == null) {
          reason = Reason.MISSING_REGION;
          detail = "no region=<xx> folder in the path " + path;
        } else if (rec.truncated()) {
          reason = Reason.MALFORMED_CSV;
          detail = "record cut off: the file ends inside a quoted field";
        } else if (rec.size() != width) {
          reason = Reason.MALFORMED_CSV;
          detail = "expected " + width + " fields as in the header, found " + rec.size();
        }
        if (reason != null) {
          ft.quarantined(reason.code(), 1);
          emit.reject(
              new Rejected(
                  Rejected.STATISTICS, rejectRegion, path, rec.line(), reason, detail, rec.raw()));
          continue;
        }
        String[] values = new String[idx.length];
        for (int c = 0; c < values.length; c++) {
          if (idx[c] >= 0) {
            values[c] = rec.get(idx[c]);
          }
        }
        StatisticsRules.Outcome o =
            StatisticsRules.clean(new RawStatistic(path, region, rec.line(), values, rec.raw()));
        if (o.row() != null) {
          Row row = titleByKey == null ? o.row() : CategoryColumns.join(o.row(), titleByKey);
          int date = row.get(TrendingColumns.TRENDING_DATE);
          List<Row> batch = open.computeIfAbsent(date, d -> new ArrayList<>(BATCH_ROWS));
          batch.add(row);
          if (batch.size() == BATCH_ROWS) {
            emit.rows(TrendingColumns.SCHEMA.partitionPath(batch.get(0)), batch);
            open.remove(date);
          }
        } else {
          ft.quarantined(o.rejected().reason().code(), 1);
          emit.reject(o.rejected());
        }
      }
    }
    for (List<Row> batch : open.values()) {
      emit.rows(TrendingColumns.SCHEMA.partitionPath(batch.get(0)), batch);
    }
    emit.tally(tally.build());
  }

  private static String abbreviate(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }
}
