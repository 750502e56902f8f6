package dev.trendlake.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trendlake.transforms.model.Reason;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
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
 * each rolled over into files of about {@code fileBytes} (and at every new day with {@code
 * filePerDay}, as a daily fetch writes them); and a category JSON per region (half the regions lack
 * category 29, as the real CA file does, so unknown categories occur). Videos trend on runs of
 * consecutive days with growing counts. A small fixed share of records is bad, each breaking
 * exactly one rule, at fixed positions: {@value #BAD_PER_MILLE} per mille cycling through every
 * quarantine reason of the statistics rules (wrong field count included), {@value #DUP_PER_MILLE}
 * per mille exact duplicates, {@value #UTF8_PER_MILLE} per mille good records with an invalid UTF-8
 * byte in the title (kept, counted as an encoding repair), and each region's last file ends with a
 * record cut off inside a quoted field.
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
      long rows,
      String output,
      List<String> regions,
      long seed,
      long fileBytes,
      boolean filePerDay) {
    public Settings(long rows, String output, List<String> regions, long seed, long fileBytes) {
      this(rows, output, regions, seed, fileBytes, false);
    }

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

  public static final String KAGGLE_HEADER =
      "video_id,trending_date,title,channel_title,category_id,publish_time,tags,views,likes,"
          + "dislikes,comment_count,thumbnail_link,comments_disabled,ratings_disabled,"
          + "video_error_or_removed,description";
  static final String API_HEADER =
      "\"video_id\",\"title\",\"publishedAt\",\"channelId\",\"channelTitle\","
          + "\"categoryId\",\"trending_date\",\"tags\",\"view_count\",\"likes\","
          + "\"dislikes\",\"comment_count\",\"thumbnail_link\",\"comments_disabled\","
          + "\"ratings_disabled\",\"description\"";

  public static final LocalDate KAGGLE_FIRST = LocalDate.of(2017, 11, 14);
  public static final LocalDate API_FIRST = LocalDate.of(2020, 8, 12);

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

  final Settings settings;
  final Expected expected = new Expected();
  long videoSerial;

  /** Cycles through {@link #BAD_KINDS} across all regions, so even a small tree has every kind. */
  long badCycle;

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
      new Segment(this, region, true, kaggle, rng.split(), lacks29).write();
      new Segment(this, region, false, n - kaggle, rng.split(), lacks29).write();
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

  static final byte[] CRLF = {'\r', '\n'};
  static final byte[] LF = {'\n'};
  static final DateTimeFormatter KAGGLE_DATE = DateTimeFormatter.ofPattern("yy.dd.MM", Locale.ROOT);
  static final DateTimeFormatter KAGGLE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'.000Z'", Locale.ROOT);
  static final DateTimeFormatter API_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'", Locale.ROOT);
}
