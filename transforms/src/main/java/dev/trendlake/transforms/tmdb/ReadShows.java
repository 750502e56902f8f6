package dev.trendlake.transforms.tmdb;

import dev.trendlake.transforms.BronzePaths;
import dev.trendlake.transforms.ReadTags;
import dev.trendlake.transforms.Rebuild;
import dev.trendlake.transforms.StageTimedDoFn;
import dev.trendlake.transforms.coders.RejectedCoder;
import dev.trendlake.transforms.coders.RowCoder;
import dev.trendlake.transforms.coders.RunTallyCoder;
import dev.trendlake.transforms.model.Rejected;
import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.tally.FileTally;
import dev.trendlake.transforms.tally.RunTally;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Reads whole TMDB list files ({@link ShowFiles}), cleans every show and joins it with the genres
 * side input ({@link TmdbDataset#join}).
 *
 * <p>In: the matched {@code raw_tmdb/shows/**.json} files. Out, under {@link ReadTags}: clean rows
 * in batches of one partition (a file is one list on one day, so one partition), rejected records,
 * one tally per file (records, layout, quarantine by reason). The join runs here, before the
 * shuffle, for the reason {@code ReadStatistics} gives: a side-input DoFn after the grouping would
 * serialise every row once more on Flink. An I/O error is not a data error: it fails the bundle so
 * the runner retries.
 */
final class ReadShows extends PTransform<PCollection<MatchResult.Metadata>, PCollectionTuple> {
  /** Rows per batch: more than a TMDB page holds, so a page is one batch. */
  static final int BATCH_ROWS = 32;

  private final String bronzeRoot;
  private final PCollectionView<Map<String, String>> genres;
  private final Rebuild rebuild;

  ReadShows(String bronzeRoot, PCollectionView<Map<String, String>> genres, Rebuild rebuild) {
    this.bronzeRoot = bronzeRoot;
    this.genres = genres;
    this.rebuild = rebuild;
  }

  @Override
  public PCollectionTuple expand(PCollection<MatchResult.Metadata> files) {
    PCollectionTuple out =
        files.apply(
            "ParseCleanAndJoin",
            ParDo.of(new ReadFn(bronzeRoot, genres, rebuild))
                .withOutputTags(
                    ReadTags.ROWS, TupleTagList.of(ReadTags.REJECTED).and(ReadTags.TALLIES))
                .withSideInputs(genres));
    out.get(ReadTags.ROWS)
        .setCoder(KvCoder.of(StringUtf8Coder.of(), ListCoder.of(RowCoder.of(ShowColumns.SCHEMA))));
    out.get(ReadTags.REJECTED).setCoder(RejectedCoder.of());
    out.get(ReadTags.TALLIES).setCoder(RunTallyCoder.of());
    return out;
  }

  static final class ReadFn extends StageTimedDoFn<MatchResult.Metadata, KV<String, List<Row>>> {
    private final String bronzeRoot;
    private final PCollectionView<Map<String, String>> genres;
    private final Rebuild rebuild;
    private final Counter records = Metrics.counter(ReadTags.COUNTERS, "records");
    private final Counter clean = Metrics.counter(ReadTags.COUNTERS, "clean");
    private final Counter rejected = Metrics.counter(ReadTags.COUNTERS, "rejected");
    private final Counter files = Metrics.counter(ReadTags.COUNTERS, "files");
    private final Counter bytesRead = Metrics.counter(ReadTags.COUNTERS, "bytes");

    ReadFn(String bronzeRoot, PCollectionView<Map<String, String>> genres, Rebuild rebuild) {
      super(READ);
      this.bronzeRoot = bronzeRoot;
      this.genres = genres;
      this.rebuild = rebuild;
    }

    @ProcessElement
    public void process(
        @Element MatchResult.Metadata file, ProcessContext ctx, MultiOutputReceiver out)
        throws IOException {
      Map<String, String> genreNames = ctx.sideInput(genres);
      String path = BronzePaths.relativize(bronzeRoot, file.resourceId().toString());
      Set<String> only = rebuild.onlyPartitions(path);
      byte[] bytes;
      try (InputStream in = Channels.newInputStream(FileSystems.open(file.resourceId()))) {
        bytes = in.readAllBytes();
      }
      files.inc();
      bytesRead.inc(file.sizeBytes());
      ShowFiles.Result r = ShowFiles.read(path, bytes);
      records.inc(r.records());
      clean.inc(r.rows().size());
      rejected.inc(r.rejected().size());
      List<Row> batch = new ArrayList<>(BATCH_ROWS);
      for (Row row : r.rows()) {
        batch.add(TmdbDataset.joinGenres(row, genreNames));
        if (batch.size() == BATCH_ROWS) {
          emit(out, only, batch);
          batch = new ArrayList<>(BATCH_ROWS);
        }
      }
      if (!batch.isEmpty()) {
        emit(out, only, batch);
      }
      if (only != null) {
        return; // read again for some partitions only: its rejects and counts are committed
      }
      RunTally.Builder tally = RunTally.builder();
      FileTally.Builder ft = tally.file(path, TmdbDataset.SHOWS);
      ShowFiles.Place place = ShowFiles.place(path);
      ft.region(place.problem() == null ? place.dataType() : "unknown")
          .layout(r.layout())
          .read(file.sizeBytes(), BronzePaths.changeToken(file))
          .records(r.records());
      for (Rejected x : r.rejected()) {
        ft.quarantined(x.reason().code(), 1);
        out.get(ReadTags.REJECTED).output(x);
      }
      out.get(ReadTags.TALLIES).output(tally.build());
    }

    private static void emit(MultiOutputReceiver out, Set<String> only, List<Row> batch) {
      String partition = ShowColumns.SCHEMA.partitionPath(batch.get(0));
      if (only == null || only.contains(partition)) {
        out.get(ReadTags.ROWS).output(KV.of(partition, batch));
      }
    }
  }
}
