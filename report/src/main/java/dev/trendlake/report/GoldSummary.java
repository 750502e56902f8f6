package dev.trendlake.report;

import dev.trendlake.pipeline.io.ChannelInputFile;
import dev.trendlake.pipeline.io.OutputPaths;
import dev.trendlake.pipeline.io.ParquetFiles;
import dev.trendlake.transforms.youtube.TrendingColumns;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * What the report needs of gold, read once: per region, the rows of each trending day, and per
 * video its first and last trending day with the last day's views, likes, category and channel
 * (views count once per video, as of its last day, never summed over days). Only six columns are
 * read (a Parquet projection), files in parallel; region and day come from the path, as Hive
 * partitioning has them.
 */
final class GoldSummary {
  /** One video of one region. */
  static final class Video {
    int first = Integer.MAX_VALUE;
    int last = Integer.MIN_VALUE;
    long views;
    long likes;
    String category;
    String channel;
    long publishMicros;
  }

  /** Rows per (region, day): {@code region -> day -> rows}. */
  final Map<String, Map<Integer, Long>> rowsPerDay = new HashMap<>();

  /** {@code region -> video_id -> video}. */
  final Map<String, Map<String, Video>> videos = new HashMap<>();

  long rows;
  int files;

  private static final Pattern PARTITION =
      Pattern.compile("region=([^/]+)/trending_date=(\\d{4}-\\d{2}-\\d{2})/");

  /** The gold columns read. */
  static final List<String> COLUMNS =
      java.util.stream.Stream.of(
              TrendingColumns.VIDEO_ID,
              TrendingColumns.CHANNEL_TITLE,
              TrendingColumns.CATEGORY_TITLE,
              TrendingColumns.PUBLISH_TIME,
              TrendingColumns.VIEWS,
              TrendingColumns.LIKES)
          .map(c -> c.name())
          .toList();

  /** Reads every gold file under {@code lake}. */
  static GoldSummary read(String lake, int threads) throws IOException {
    String glob = lake + "/" + OutputPaths.GOLD_TRENDING + "/**.parquet";
    MatchResult m = FileSystems.match(glob, EmptyMatchTreatment.ALLOW);
    List<MatchResult.Metadata> files =
        m.status() == MatchResult.Status.OK ? m.metadata() : List.of();
    GoldSummary all = new GoldSummary();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
    try {
      List<Future<GoldSummary>> parts = new ArrayList<>();
      int chunk = Math.max(1, files.size() / (threads * 4) + 1);
      for (int i = 0; i < files.size(); i += chunk) {
        List<MatchResult.Metadata> some = files.subList(i, Math.min(files.size(), i + chunk));
        parts.add(pool.submit(() -> readFiles(some)));
      }
      for (Future<GoldSummary> f : parts) {
        all.merge(f.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading gold", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return all;
  }

  /**
   * Reads with Parquet's own file reader and a projection of the six columns. Not through {@code
   * ParquetReader}: its builder makes a new Hadoop {@code Configuration} per file, which parses
   * Hadoop's default XML resources every time (docs/quality.md has the profile).
   */
  private static GoldSummary readFiles(List<MatchResult.Metadata> files) throws IOException {
    GoldSummary s = new GoldSummary();
    // one codec factory a thread, over a configuration without default resources
    CodecFactory codecs = new CodecFactory(ParquetFiles.configuration(), 1 << 20);
    try {
      ParquetReadOptions options = ParquetReadOptions.builder().withCodecFactory(codecs).build();
      for (MatchResult.Metadata md : files) {
        String path = md.resourceId().toString().replace('\\', '/');
        Matcher pm = PARTITION.matcher(path);
        if (!pm.find()) {
          continue; // not a gold partition file
        }
        String region = pm.group(1);
        int day = (int) LocalDate.parse(pm.group(2)).toEpochDay();
        s.files++;
        try (ParquetFileReader r = ParquetFileReader.open(new ChannelInputFile(md), options)) {
          MessageType fileSchema = r.getFooter().getFileMetaData().getSchema();
          List<Type> fields = new ArrayList<>();
          for (String c : COLUMNS) {
            fields.add(fileSchema.getType(c));
          }
          MessageType projection = new MessageType(fileSchema.getName(), fields);
          r.setRequestedSchema(projection);
          MessageColumnIO io = new ColumnIOFactory().getColumnIO(projection, fileSchema);
          PageReadStore pages;
          while ((pages = r.readNextRowGroup()) != null) {
            RecordReader<Group> rows =
                io.getRecordReader(pages, new GroupRecordConverter(projection));
            for (long i = 0; i < pages.getRowCount(); i++) {
              s.add(region, day, rows.read());
            }
          }
        }
      }
    } finally {
      codecs.release();
    }
    return s;
  }

  private void add(String region, int day, Group g) {
    rows++;
    rowsPerDay.computeIfAbsent(region, k -> new HashMap<>()).merge(day, 1L, Long::sum);
    Video v =
        videos
            .computeIfAbsent(region, k -> new HashMap<>())
            .computeIfAbsent(g.getString("video_id", 0), k -> new Video());
    v.first = Math.min(v.first, day);
    if (day > v.last) {
      v.last = day;
      v.views = g.getLong("views", 0);
      v.likes = present(g, "likes") ? g.getLong("likes", 0) : -1;
      v.category =
          present(g, "category_title") ? g.getString("category_title", 0) : "(unknown category)";
      v.channel = present(g, "channel_title") ? g.getString("channel_title", 0) : "(no channel)";
      v.publishMicros = g.getLong("publish_time", 0);
    }
  }

  private static boolean present(Group g, String field) {
    return g.getFieldRepetitionCount(field) > 0;
  }

  private void merge(GoldSummary o) {
    rows += o.rows;
    files += o.files;
    o.rowsPerDay.forEach(
        (r, days) ->
            days.forEach(
                (d, n) ->
                    rowsPerDay.computeIfAbsent(r, k -> new HashMap<>()).merge(d, n, Long::sum)));
    o.videos.forEach(
        (r, vs) -> {
          Map<String, Video> mine = videos.computeIfAbsent(r, k -> new HashMap<>());
          vs.forEach(
              (id, v) -> {
                Video cur = mine.get(id);
                if (cur == null) {
                  mine.put(id, v);
                  return;
                }
                int first = Math.min(cur.first, v.first);
                if (v.last > cur.last) {
                  mine.put(id, v);
                  v.first = first;
                } else {
                  cur.first = first;
                }
              });
        });
  }
}
