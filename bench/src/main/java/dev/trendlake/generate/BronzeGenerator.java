package dev.trendlake.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trendlake.transforms.model.Reason;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.beam.sdk.io.FileSystems;

/**
 * Writes a realistic bronze tree of exactly {@code rows} statistics records, and {@code
 * _expected.json} saying how a correct run must account for each of them.
 *
 * <p>Per region: about 60% of the records in the Kaggle 2017-18 layout (minimal quoting, {@code
 * yy.dd.mm} dates, literal {@code \n} in most descriptions, early {@code "a"|"b"} tags), the rest
 * in the 2020+ API layout (every field quoted, ISO timestamps, real line breaks, hidden likes),
 * each rolled over into files of about {@code fileBytes}; and a category JSON per region (half the
 * regions lack category 29, as the real CA file does, so unknown categories occur). Videos trend on
 * runs of consecutive days with growing counts. A small fixed share of records is bad, each
 * breaking exactly one rule, at fixed positions: {@value #BAD_PER_MILLE} per mille cycling through
 * every quarantine reason of the statistics rules (wrong field count included), {@value
 * #DUP_PER_MILLE} per mille exact duplicates, {@value #UTF8_PER_MILLE} per mille good records with
 * an invalid UTF-8 byte in the title (kept, counted as an encoding repair), and each region's last
 * file ends with a record cut off inside a quoted field.
 *
 * <p>Deterministic: every region draws from its own generator seeded from {@code seed} and the
 * region's position, so the same settings give the same bytes.
 */
public final class BronzeGenerator {
  static final int BAD_PER_MILLE = 4;
  static final int DUP_PER_MILLE = 4;
  static final int UTF8_PER_MILLE = 2;

  /** Default regions: the ten of the Kaggle dataset. */
  public static final List<String> DEFAULT_REGIONS =
      List.of("us", "gb", "ca", "de", "fr", "in", "jp", "kr", "mx", "ru");

  /** What to generate. */
  public record Settings(
      long rows, String output, List<String> regions, long seed, long fileBytes) {
    public Settings {
      if (rows < 1) {
        throw new IllegalArgumentException("--rows must be at least 1");
      }
      if (regions.isEmpty()) {
        throw new IllegalArgumentException("--regions must name at least one region");
      }
      for (String r : regions) {
        if (!r.matches("[a-z]{2}")) {
          throw new IllegalArgumentException(
              "--regions: '" + r + "' is not a two-letter lower-case region code");
        }
      }
      if (rows < 4L * regions.size()) {
        throw new IllegalArgumentException(
            "--rows must be at least 4 per region (" + 4 * regions.size() + ")");
      }
      if (fileBytes < 1024) {
        throw new IllegalArgumentException("--fileMegabytes must be positive");
      }
      output = output.endsWith("/") ? output.substring(0, output.length() - 1) : output;
    }
  }

  /** The bad-record kinds, in the order they are cycled through. */
  static final List<Reason> BAD_KINDS =
      List.of(
          Reason.MALFORMED_CSV,
          Reason.INVALID_VIDEO_ID,
          Reason.INVALID_TRENDING_DATE,
          Reason.INVALID_PUBLISH_TIME,
          Reason.INVALID_CATEGORY_ID,
          Reason.INVALID_COUNT,
          Reason.INVALID_BOOLEAN);

  static final String KAGGLE_HEADER =
      "video_id,trending_date,title,channel_title,category_id,publish_time,tags,views,likes,dislikes,"
          + "comment_count,thumbnail_link,comments_disabled,ratings_disabled,video_error_or_removed,description";
  static final String API_HEADER =
      "\"video_id\",\"title\",\"publishedAt\",\"channelId\",\"channelTitle\",\"categoryId\",\"trending_date\",\"tags\","
          + "\"view_count\",\"likes\",\"dislikes\",\"comment_count\",\"thumbnail_link\",\"comments_disabled\","
          + "\"ratings_disabled\",\"description\"";

  static final LocalDate KAGGLE_FIRST = LocalDate.of(2017, 11, 14);
  static final LocalDate API_FIRST = LocalDate.of(2020, 8, 12);

  /** Category ids used by videos, and their titles. */
  static final int[] CATEGORY_IDS = {1, 2, 10, 15, 17, 19, 20, 22, 23, 24, 25, 26, 27, 28, 29, 43};

  static final String[] CATEGORY_TITLES = {
    "Film & Animation",
    "Autos & Vehicles",
    "Music",
    "Pets & Animals",
    "Sports",
    "Travel & Events",
    "Gaming",
    "People & Blogs",
    "Comedy",
    "Entertainment",
    "News & Politics",
    "Howto & Style",
    "Education",
    "Science & Technology",
    "Nonprofits & Activism",
    "Shows"
  };

  private final Settings settings;
  private final Expected expected = new Expected();
  private long videoSerial;

  /** Cycles through {@link #BAD_KINDS} across all regions, so even a small tree has every kind. */
  private long badCycle;

  private BronzeGenerator(Settings settings) {
    this.settings = settings;
  }

  /** Generates the tree and returns what a run over it must report. */
  public static Expected generate(Settings settings) throws IOException {
    return new BronzeGenerator(settings).run();
  }

  private Expected run() throws IOException {
    expected.seed = settings.seed();
    expected.rows = settings.rows();
    List<String> regions = settings.regions();
    for (int i = 0; i < regions.size(); i++) {
      String region = regions.get(i);
      long n = settings.rows() / regions.size() + (i < settings.rows() % regions.size() ? 1 : 0);
      SplittableRandom rng = new SplittableRandom(settings.seed() * 1_000_003L + 7919L * (i + 1));
      videoSerial = (settings.seed() << 40) + ((long) i << 34);
      boolean lacks29 = i % 2 == 1;
      writeCategories(region, lacks29);
      long kaggle = Math.max(1, n * 6 / 10);
      new Segment(region, true, kaggle, rng.split(), lacks29).write();
      new Segment(region, false, n - kaggle, rng.split(), lacks29).write();
    }
    writeText(settings.output() + "/_expected.json", expected.toJson());
    return expected;
  }

  private void writeCategories(String region, boolean lacks29) throws IOException {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    root.put("kind", "youtube#videoCategoryListResponse");
    root.put("etag", "\"m2yskBQFythfE4irbTIeOgYYfBU/" + region + "\"");
    ArrayNode items = root.putArray("items");
    long count = 0;
    for (int c = 0; c < CATEGORY_IDS.length; c++) {
      if (lacks29 && CATEGORY_IDS[c] == 29) {
        continue;
      }
      ObjectNode it = items.addObject();
      it.put("kind", "youtube#videoCategory");
      it.put("etag", "\"m2yskBQFythfE4irbTIeOgYYfBU/" + region + CATEGORY_IDS[c] + "\"");
      it.put("id", String.valueOf(CATEGORY_IDS[c]));
      ObjectNode s = it.putObject("snippet");
      s.put("channelId", "UCBR8-60-B28hp2BmDPdntcQ");
      s.put("title", CATEGORY_TITLES[c]);
      s.put("assignable", CATEGORY_IDS[c] < 40);
      count++;
    }
    expected.region(region).categories = count;
    writeText(
        settings.output()
            + "/raw_statistics_reference_data/"
            + region.toUpperCase(Locale.ROOT)
            + "_category_id.json",
        mapper.writeValueAsString(root));
  }

  private static void writeText(String path, String text) throws IOException {
    try (OutputStream os = open(path)) {
      os.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  static OutputStream open(String path) throws IOException {
    return new BufferedOutputStream(
        Channels.newOutputStream(
            FileSystems.create(FileSystems.matchNewResource(path, false), "text/plain")),
        1 << 16);
  }

  /** One video: its fixed text and how its counts grow over the days it trends. */
  private static final class Video {
    String id;
    String title;
    String channelTitle;
    String channelId;
    int categoryId;
    LocalDateTime published;
    List<String> tags;
    int tagStyle; // Kaggle: 0 plain a|b, 1 early "a"|"b"
    String description;
    long views0;
    double growth;
    double likeRatio;
    double dislikeRatio;
    double commentRatio;
    boolean commentsDisabled;
    boolean ratingsDisabled;
    boolean hiddenLikes;
    int remaining;
    int day;
    int lastDay = -1;
  }

  /** One region's records in one layout: days of trending lists, rolled over into files. */
  private final class Segment {
    private final String region;
    private final boolean kaggle;
    private final long records;
    private final SplittableRandom rng;
    private final boolean lacks29;
    private final List<String> local;
    private final Expected.Region exp;
    private final List<byte[]> recent = new ArrayList<>();
    private final List<Boolean> recentRepaired = new ArrayList<>();

    private OutputStream out;
    private long fileBytes;
    private int fileIndex;

    Segment(String region, boolean kaggle, long records, SplittableRandom rng, boolean lacks29) {
      this.region = region;
      this.kaggle = kaggle;
      this.records = records;
      this.rng = rng;
      this.lacks29 = lacks29;
      this.local = Vocabulary.localFor(region);
      this.exp = expected.region(region);
    }

    void write() throws IOException {
      // the API segment's last record is the cut-off one
      long normal = kaggle ? records : records - 1;
      int days = (int) Math.max(1, Math.min(120, normal / 20));
      List<Video> active = new ArrayList<>();
      long written = 0;
      for (int d = 0; d < days; d++) {
        long quota = normal * (d + 1) / days - normal * d / days;
        if (quota == 0) {
          continue;
        }
        LocalDate date = (kaggle ? KAGGLE_FIRST : API_FIRST).plusDays(d);
        if (out == null || fileBytes >= settings.fileBytes()) {
          openFile(date);
        }
        List<Video> today = new ArrayList<>();
        for (Video v : active) {
          if (v.remaining > 0 && today.size() < quota) {
            today.add(v);
            v.lastDay = d;
          }
        }
        int next = 0;
        for (long k = 0; k < quota; k++) {
          long slot = written;
          if (slot % (1000 / BAD_PER_MILLE) == 100) {
            Video v = next < today.size() ? today.get(next) : newVideo(date);
            Reason kind = BAD_KINDS.get((int) (badCycle++ % BAD_KINDS.size()));
            emit(bad(v, date, kind), false);
            exp.quarantinedByReason.merge(kind.code(), 1L, Long::sum);
          } else if (slot % (1000 / DUP_PER_MILLE) == 200 && !recent.isEmpty()) {
            int pick = rng.nextInt(recent.size());
            emit(recent.get(pick), recentRepaired.get(pick));
            exp.duplicates++;
          } else {
            Video v;
            if (next < today.size()) {
              v = today.get(next++);
            } else {
              v = newVideo(date);
              v.lastDay = d;
              active.add(v);
            }
            boolean repaired = slot % (1000 / UTF8_PER_MILLE) == 30;
            byte[] rec = good(v, date, repaired);
            emit(rec, repaired);
            remember(rec, repaired);
            exp.silver++;
            if (lacks29 && v.categoryId == 29) {
              exp.unknownCategory++;
            }
            v.remaining--;
            v.day++;
          }
          written++;
        }
        int day = d;
        // a video left out today (the list was full) drops out now and then, as real ones do
        active.removeIf(v -> v.remaining <= 0 || v.lastDay != day && rng.nextInt(4) == 0);
      }
      if (out == null) {
        openFile(kaggle ? KAGGLE_FIRST : API_FIRST);
      }
      if (!kaggle) {
        // a partial upload: the file ends inside the quoted description
        Video v = newVideo(API_FIRST.plusDays(days));
        byte[] rec = good(v, API_FIRST.plusDays(days), false);
        int start = lastQuoteOpen(rec);
        int keep =
            Math.max(
                start + 1,
                Math.min(rec.length - Math.max(2, v.description.length() / 2) - 2, rec.length - 3));
        while (keep > start + 1 && (rec[keep] & 0xC0) == 0x80) {
          keep--; // never split a UTF-8 sequence: that would add an encoding repair
        }
        byte[] partial = java.util.Arrays.copyOf(rec, keep);
        out.write(partial);
        fileBytes += partial.length;
        exp.quarantinedByReason.merge(Reason.MALFORMED_CSV.code(), 1L, Long::sum);
        written++;
      }
      exp.records += written;
      closeFile();
    }

    /** Index of the opening quote of the record's last field. */
    private int lastQuoteOpen(byte[] rec) {
      for (int i = rec.length - 1; i > 0; i--) {
        if (rec[i] == '"' && rec[i - 1] == ',') {
          return i;
        }
      }
      return 0;
    }

    private void remember(byte[] rec, boolean repaired) {
      if (recent.size() < 256) {
        recent.add(rec);
        recentRepaired.add(repaired);
      } else {
        int i = rng.nextInt(256);
        recent.set(i, rec);
        recentRepaired.set(i, repaired);
      }
    }

    private void emit(byte[] rec, boolean repaired) throws IOException {
      out.write(rec);
      byte[] eol = kaggle ? CRLF : LF;
      out.write(eol);
      fileBytes += rec.length + eol.length;
      if (repaired) {
        exp.encodingRepairs++;
      }
    }

    private void openFile(LocalDate date) throws IOException {
      closeFile();
      String xx = region.toUpperCase(Locale.ROOT);
      String name = kaggle ? xx + "videos-" : xx + "_youtube_trending_data-";
      String path =
          settings.output()
              + "/raw_statistics/region="
              + region
              + "/ts="
              + date.format(DateTimeFormatter.BASIC_ISO_DATE)
              + "0000/"
              + name
              + String.format(Locale.ROOT, "%03d", fileIndex++)
              + ".csv";
      out = open(path);
      byte[] header =
          ((kaggle ? KAGGLE_HEADER : API_HEADER) + (kaggle ? "\r\n" : "\n"))
              .getBytes(StandardCharsets.UTF_8);
      out.write(header);
      fileBytes = header.length;
      exp.files++;
    }

    private void closeFile() throws IOException {
      if (out != null) {
        out.close();
        exp.bytes += fileBytes;
        out = null;
      }
    }

    private Video newVideo(LocalDate firstDay) {
      Video v = new Video();
      v.id = Vocabulary.videoId(videoSerial++);
      v.title = title();
      v.channelTitle = Vocabulary.words(rng, local, 1 + rng.nextInt(3));
      v.channelId = Vocabulary.channelId(rng);
      v.categoryId = CATEGORY_IDS[rng.nextInt(CATEGORY_IDS.length)];
      v.published = firstDay.atStartOfDay().minusSeconds(3600 + rng.nextInt(70 * 3600));
      int nTags = rng.nextInt(100) < 8 ? 0 : 1 + rng.nextInt(24);
      List<String> tags = new ArrayList<>(nTags);
      for (int t = 0; t < nTags; t++) {
        tags.add(Vocabulary.words(rng, local, 1 + rng.nextInt(3)));
      }
      v.tags = tags;
      v.tagStyle = rng.nextInt(2);
      v.description = description();
      v.views0 = 1000 + (long) Math.exp(8 + rng.nextDouble() * 8);
      v.growth = 0.05 + rng.nextDouble() * 0.6;
      v.likeRatio = 0.005 + rng.nextDouble() * 0.06;
      v.dislikeRatio = rng.nextDouble() * 0.004;
      v.commentRatio = rng.nextDouble() * 0.01;
      v.commentsDisabled = rng.nextInt(100) < 2;
      v.ratingsDisabled = rng.nextInt(100) < 2;
      v.hiddenLikes = !kaggle && rng.nextInt(100) < 5;
      v.remaining = Math.min(30, 1 + (int) (-Math.log(1 - rng.nextDouble()) * 5));
      return v;
    }

    private String title() {
      String t = Vocabulary.words(rng, local, 3 + rng.nextInt(9));
      int r = rng.nextInt(10);
      if (r == 0) {
        return t + ", " + Vocabulary.words(rng, local, 2);
      }
      if (r == 1) {
        return t + " | \"" + Vocabulary.words(rng, local, 2) + "\"";
      }
      return t;
    }

    /** About a kilobyte of lines: sentences, links, hashtags; empty for a few videos. */
    private String description() {
      if (rng.nextInt(100) < 4) {
        return "";
      }
      int lines = 3 + rng.nextInt(12);
      // Kaggle files mostly carry the two characters \n; the API real line breaks
      String sep =
          kaggle ? (rng.nextInt(10) < 8 ? "\\n" : "\n") : (rng.nextInt(10) < 7 ? "\n" : "\r\n");
      StringBuilder sb = new StringBuilder(1200);
      for (int l = 0; l < lines; l++) {
        if (l > 0) {
          sb.append(sep);
          if (rng.nextInt(4) == 0) {
            sb.append(sep);
          }
        }
        int r = rng.nextInt(10);
        if (r == 0) {
          sb.append(Vocabulary.pick(rng, Vocabulary.ENGLISH))
              .append(": https://www.youtube.com/channel/")
              .append(Vocabulary.channelId(rng));
        } else if (r == 1) {
          sb.append("#")
              .append(Vocabulary.pick(rng, Vocabulary.ENGLISH))
              .append(" #")
              .append(Vocabulary.pick(rng, local));
        } else {
          sb.append(Vocabulary.words(rng, local, 6 + rng.nextInt(22)));
          sb.append(rng.nextInt(3) == 0 ? "!" : ".");
        }
      }
      return sb.toString();
    }

    private long[] counts(Video v) {
      long views = (long) (v.views0 * (1 + v.growth * v.day) * (0.98 + rng.nextDouble() * 0.04));
      return new long[] {
        views,
        (long) (views * v.likeRatio),
        (long) (views * v.dislikeRatio),
        (long) (views * v.commentRatio)
      };
    }

    private String[] fields(Video v, LocalDate date) {
      long[] c = counts(v);
      String likes =
          v.ratingsDisabled || v.hiddenLikes ? (kaggle ? "0" : "") : String.valueOf(c[1]);
      String dislikes = kaggle ? String.valueOf(c[2]) : (v.ratingsDisabled ? "" : "0");
      String thumb = "https://i.ytimg.com/vi/" + v.id + "/default.jpg";
      if (kaggle) {
        return new String[] {
          v.id,
          date.format(KAGGLE_DATE),
          v.title,
          v.channelTitle,
          String.valueOf(v.categoryId),
          v.published.format(KAGGLE_TIME),
          kaggleTags(v),
          String.valueOf(c[0]),
          likes,
          dislikes,
          String.valueOf(c[3]),
          thumb,
          bool(v.commentsDisabled),
          bool(v.ratingsDisabled),
          bool(false),
          v.description
        };
      }
      return new String[] {
        v.id,
        v.title,
        v.published.format(API_TIME),
        v.channelId,
        v.channelTitle,
        String.valueOf(v.categoryId),
        date.atStartOfDay().format(API_TIME),
        v.tags.isEmpty() ? "[None]" : String.join("|", v.tags),
        String.valueOf(c[0]),
        likes,
        dislikes,
        String.valueOf(c[3]),
        thumb,
        v.commentsDisabled ? "True" : "False",
        v.ratingsDisabled ? "True" : "False",
        v.description
      };
    }

    private String bool(boolean b) {
      // Kaggle files use True/False, a few tools wrote TRUE/false
      String s = b ? "True" : "False";
      return rng.nextInt(50) == 0 ? s.toUpperCase(Locale.ROOT) : s;
    }

    private String kaggleTags(Video v) {
      if (v.tags.isEmpty()) {
        return "[none]";
      }
      if (v.tagStyle == 1) {
        return "\"" + String.join("\"|\"", v.tags) + "\"";
      }
      return String.join("|", v.tags);
    }

    private byte[] good(Video v, LocalDate date, boolean invalidUtf8) {
      return encode(fields(v, date), invalidUtf8, -1);
    }

    private byte[] bad(Video v, LocalDate date, Reason kind) {
      String[] f = fields(v, date);
      int vid = 0;
      int td = kaggle ? 1 : 6;
      int pt = kaggle ? 5 : 2;
      int cat = kaggle ? 4 : 5;
      int[] countCols = kaggle ? new int[] {7, 8, 9, 10} : new int[] {8, 9, 10, 11};
      int[] boolCols = kaggle ? new int[] {12, 13, 14} : new int[] {13, 14};
      switch (kind) {
        case MALFORMED_CSV -> {
          if (rng.nextBoolean()) {
            return encode(java.util.Arrays.copyOf(f, f.length - 1), false, -1);
          }
          String[] more = java.util.Arrays.copyOf(f, f.length + 1);
          more[f.length] = "extra";
          return encode(more, false, -1);
        }
        case INVALID_VIDEO_ID ->
            f[vid] = oneOf("#NAME?", f[vid].substring(0, 10), f[vid] + "x", "", "abc.defghij");
        case INVALID_TRENDING_DATE ->
            f[td] =
                kaggle
                    ? oneOf("17.32.11", "17.14.13", "xx.14.11", "", "17/14/11", "1714.11")
                    : oneOf(
                        "2020-02-30T00:00:00Z",
                        "2020-13-01T00:00:00Z",
                        "yesterday",
                        "",
                        "12/08/2020");
        case INVALID_PUBLISH_TIME ->
            f[pt] =
                oneOf(
                    "2017-11-31T10:00:00.000Z",
                    "not a date",
                    "",
                    "13/11/2017 17:13",
                    "2017-11-13T25:61:00.000Z");
        case INVALID_CATEGORY_ID -> f[cat] = oneOf("abc", "1.5", "", "NaN", "24 music");
        case INVALID_COUNT ->
            f[countCols[rng.nextInt(4)]] = oneOf("-5", "1.5e3", "abc", "12,345", "NaN", "0x1F");
        case INVALID_BOOLEAN ->
            f[boolCols[rng.nextInt(boolCols.length)]] = oneOf("yes", "no", "1", "0", "", "T");
        default -> throw new IllegalStateException("no bad record for " + kind);
      }
      return encode(f, false, -1);
    }

    private String oneOf(String... values) {
      return values[rng.nextInt(values.length)];
    }

    /**
     * CSV bytes of one record: minimal quoting in the Kaggle layout, every field quoted in the
     * API's.
     */
    private byte[] encode(String[] fields, boolean invalidUtf8, int unused) {
      ByteArrayOutputStream b = new ByteArrayOutputStream(2048);
      int tagsCol = 6;
      for (int i = 0; i < fields.length; i++) {
        if (i > 0) {
          b.write(',');
        }
        String f = fields[i];
        boolean titleField = i == (kaggle ? 2 : 1);
        if (kaggle
            && i == tagsCol
            && f.startsWith("\"")
            && f.indexOf(',') < 0
            && f.indexOf('\n') < 0) {
          b.writeBytes(f.getBytes(StandardCharsets.UTF_8)); // the early "a"|"b" form, as found
          continue;
        }
        boolean quote =
            !kaggle
                || f.indexOf(',') >= 0
                || f.indexOf('"') >= 0
                || f.indexOf('\n') >= 0
                || f.indexOf('\r') >= 0;
        if (quote) {
          b.write('"');
        }
        if (titleField && invalidUtf8) {
          b.write(0xFF); // a lone byte that is never valid UTF-8: one repair
        }
        byte[] bytes = (quote ? f.replace("\"", "\"\"") : f).getBytes(StandardCharsets.UTF_8);
        b.writeBytes(bytes);
        if (quote) {
          b.write('"');
        }
      }
      return b.toByteArray();
    }
  }

  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] LF = {'\n'};
  private static final DateTimeFormatter KAGGLE_DATE =
      DateTimeFormatter.ofPattern("yy.dd.MM", Locale.ROOT);
  private static final DateTimeFormatter KAGGLE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'.000Z'", Locale.ROOT);
  private static final DateTimeFormatter API_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'", Locale.ROOT);
}
