package dev.trendlake.generate;

import static dev.trendlake.generate.TmdbReference.BAD_KINDS;
import static dev.trendlake.generate.TmdbReference.COUNTRIES;
import static dev.trendlake.generate.TmdbReference.GENRE_IDS;
import static dev.trendlake.generate.TmdbReference.GENRE_NAMES;
import static dev.trendlake.generate.TmdbReference.LANGUAGES;
import static dev.trendlake.generate.TmdbReference.UNKNOWN_GENRE;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trendlake.transforms.model.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Writes a TMDB bronze tree of exactly {@code rows} show records ({@code trendlake run
 * --dataset=tmdb} counts a malformed file as one), and {@code _expected.json} saying how a correct
 * run must account for each of them:
 *
 * <pre>
 * raw_tmdb/shows/data_type=list/dt=day/list-pNNN.json   pages of shows, bare or in the ingest's
 *                                                         wrapper (_metadata), one show per line
 * raw_tmdb/genres/tv_genre_list.json                      TMDB's TV genres
 * </pre>
 *
 * Each list shows its share of the rows spread over {@code days} consecutive days; from one day to
 * the next a list keeps three quarters of its shows, their votes growing. A small fixed share of
 * records is bad, each breaking exactly one rule, at fixed positions: one in every {@value #EVERY}
 * cycling through every record rule of the contract, as many duplicates (a second copy of a show
 * already on that list and day, with one vote fewer, so it loses); each list's last day ends with a
 * page cut off ({@code malformed_json}, one record), and the first list's first day holds a page
 * whose {@code _metadata.data_type} names another list ({@code invalid_path}, two records). The
 * genre list lacks War &amp; Politics, which some shows carry (a null genre name, counted as {@code
 * unknown_category}), and holds one genre without an id ({@code invalid_genre}).
 *
 * <p>Deterministic: every list draws from its own generator seeded from {@code seed} and the list's
 * position, and each show from one seeded by its number, so the same settings give the same bytes.
 */
public final class TmdbBronzeGenerator {
  /** The lists, in the order {@code --lists} defaults to. */
  public static final List<String> LISTS = List.of("popular", "trending", "airing_today");

  public static final LocalDate FIRST_DAY = LocalDate.of(2025, 5, 20);
  static final int PAGE = 20;
  static final int EVERY = 200;
  static final int BAD_AT = 50;
  static final int DUP_AT = 120;

  /** What to generate. */
  public record Settings(long rows, String output, List<String> lists, int days, long seed) {
    public Settings {
      if (lists.isEmpty()) {
        throw new IllegalArgumentException("--lists must name at least one list");
      }
      for (String l : lists) {
        if (!LISTS.contains(l)) {
          throw new IllegalArgumentException(
              "--lists: '" + l + "' is not a TMDB list: give popular, trending, airing_today");
        }
      }
      if (lists.stream().distinct().count() != lists.size()) {
        throw new IllegalArgumentException("--lists names a list twice");
      }
      if (days < 1 || days > 366) {
        throw new IllegalArgumentException("--days must be from 1 to 366");
      }
      long least = reserved(lists) + (long) lists.size() * days;
      if (rows < least) {
        throw new IllegalArgumentException(
            "--rows must be at least "
                + least
                + " for "
                + lists.size()
                + " list(s) over "
                + days
                + " day(s)");
      }
      output = output.endsWith("/") ? output.substring(0, output.length() - 1) : output;
    }
  }

  /** The records of the malformed pages (one per list) and of the misfiled page. */
  static long reserved(List<String> lists) {
    return lists.size() + 2;
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Settings settings;
  private final Expected expected = new Expected();
  private long badCycle;

  private TmdbBronzeGenerator(Settings settings) {
    this.settings = settings;
  }

  /** Generates the tree and returns what a run over it must report. */
  public static Expected generate(Settings settings) throws IOException {
    return new TmdbBronzeGenerator(settings).run();
  }

  private Expected run() throws IOException {
    expected.dataset = "tmdb";
    expected.seed = settings.seed();
    expected.rows = settings.rows();
    writeGenres();
    List<String> lists = settings.lists();
    long normal = settings.rows() - reserved(lists);
    for (int i = 0; i < lists.size(); i++) {
      long n = normal / lists.size() + (i < normal % lists.size() ? 1 : 0);
      writeList(i, lists.get(i), n);
    }
    write(
        settings.output() + "/_expected.json", expected.toJson().getBytes(StandardCharsets.UTF_8));
    return expected;
  }

  private void writeGenres() throws IOException {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode genres = root.putArray("genres");
    for (int g = 0; g < GENRE_IDS.length; g++) {
      genres.addObject().put("id", GENRE_IDS[g]).put("name", GENRE_NAMES[g]);
    }
    genres.addObject().putNull("id").put("name", "Broken");
    expected.sideRows = GENRE_IDS.length;
    expected.sideQuarantinedByReason.merge(Reason.INVALID_GENRE.code(), 1L, Long::sum);
    write(
        settings.output() + "/raw_tmdb/genres/tv_genre_list.json",
        JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
  }

  /** One show's fixed traits, from its number alone. */
  private record Show(
      long id,
      String name,
      String originalName,
      String language,
      String overview,
      double popularity,
      double voteAverage,
      long votes,
      long votesPerDay,
      String firstAirDate,
      long[] genres,
      String[] countries,
      String poster,
      String backdrop) {
    boolean unknownGenre() {
      return Arrays.stream(genres).anyMatch(g -> g == UNKNOWN_GENRE);
    }
  }

  private Show show(long number) {
    SplittableRandom r = new SplittableRandom(settings.seed() * 0x9E3779B97F4A7C15L + number);
    int lang = r.nextInt(LANGUAGES.length);
    String language = LANGUAGES[lang];
    List<String> local =
        Vocabulary.localFor(
            switch (language) {
              case "ko" -> "kr";
              case "ja" -> "jp";
              case "hi" -> "in";
              default -> "us";
            });
    StringBuilder title = new StringBuilder();
    for (int w = 1 + r.nextInt(3); w > 0; w--) {
      String word = Vocabulary.pick(r, Vocabulary.ENGLISH);
      title
          .append(title.length() == 0 ? "" : " ")
          .append(word.substring(0, 1).toUpperCase(Locale.ROOT))
          .append(word.substring(1));
    }
    String name = title.toString();
    String original = language.equals("en") ? name : Vocabulary.words(r, local, 1 + r.nextInt(3));
    String overview = r.nextInt(20) == 0 ? "" : Vocabulary.words(r, local, 8 + r.nextInt(30));
    long votes = r.nextInt(10) == 0 ? 0 : r.nextLong(20_000);
    double average = votes == 0 ? 0 : Math.round(r.nextDouble() * 10_000) / 1000.0;
    String firstAir =
        r.nextInt(20) == 0 ? "" : FIRST_DAY.minusDays(1 + r.nextInt(12_000)).toString();
    int first = r.nextInt(GENRE_IDS.length);
    long[] genres = new long[1 + r.nextInt(3)];
    for (int g = 0; g < genres.length; g++) {
      genres[g] = GENRE_IDS[(first + 5 * g) % GENRE_IDS.length]; // distinct
    }
    if (r.nextInt(25) == 0) {
      genres[genres.length - 1] = UNKNOWN_GENRE;
    }
    String[] countries =
        r.nextInt(20) == 0 ? new String[0] : new String[] {COUNTRIES[r.nextInt(COUNTRIES.length)]};
    return new Show(
        100_000 + number,
        name,
        original,
        language,
        overview,
        1 + Math.round(r.nextDouble() * 500_000) / 1000.0,
        average,
        votes,
        r.nextInt(40),
        firstAir,
        genres,
        countries,
        "/" + Vocabulary.videoId(number * 2) + ".jpg",
        r.nextInt(10) == 0 ? null : "/" + Vocabulary.videoId(number * 2 + 1) + ".jpg");
  }

  /** The show as {@code list} lists it on day {@code d}, in TMDB's field order. */
  private static ObjectNode record(Show s, String list, int d) {
    ObjectNode o = JSON.createObjectNode();
    o.put("adult", false);
    if (s.backdrop() == null) {
      o.putNull("backdrop_path");
    } else {
      o.put("backdrop_path", s.backdrop());
    }
    ArrayNode g = o.putArray("genre_ids");
    for (long id : s.genres()) {
      g.add(id);
    }
    o.put("id", s.id());
    ArrayNode c = o.putArray("origin_country");
    for (String code : s.countries()) {
      c.add(code);
    }
    o.put("original_language", s.language());
    o.put("original_name", s.originalName());
    o.put("overview", s.overview());
    o.put("popularity", Math.round(s.popularity() * (1 + 0.03 * d) * 1000) / 1000.0);
    o.put("poster_path", s.poster());
    if (list.equals("trending")) {
      o.put("media_type", "tv");
    }
    o.put("first_air_date", s.firstAirDate());
    o.put("name", s.name());
    o.put("vote_average", s.voteAverage());
    o.put("vote_count", s.votes() + s.votesPerDay() * d);
    return o;
  }

  /** The show with exactly one rule of the contract broken. */
  private static ObjectNode broken(ObjectNode good, Reason kind) {
    ObjectNode o = good.deepCopy();
    switch (kind) {
      case INVALID_SHOW_ID -> o.put("id", -o.path("id").asLong());
      case MISSING_NAME -> o.remove("name");
      case INVALID_POPULARITY -> o.put("popularity", o.path("popularity").asText());
      case INVALID_VOTE_AVERAGE -> o.put("vote_average", 10.5);
      case INVALID_VOTE_COUNT -> o.put("vote_count", -1 - o.path("vote_count").asLong());
      case INVALID_FIRST_AIR_DATE -> o.put("first_air_date", "2023-02-30");
      case INVALID_GENRE_IDS -> o.putArray("genre_ids").add("18");
      case INVALID_ORIGIN_COUNTRY -> o.putArray("origin_country").add("USA");
      default -> throw new IllegalArgumentException(kind.code());
    }
    return o;
  }

  private void writeList(int index, String list, long n) throws IOException {
    Expected.Region exp = expected.region(list);
    SplittableRandom rng = new SplittableRandom(settings.seed() * 1_000_003L + 7919L * (index + 1));
    int days = settings.days();
    long shift = Math.max(1, n / days / 4);
    long slot = 0;
    for (int d = 0; d < days; d++) {
      LocalDate day = FIRST_DAY.plusDays(d);
      String folder = settings.output() + "/raw_tmdb/shows/data_type=" + list + "/dt=" + day + "/";
      long quota = n * (d + 1) / days - n * d / days;
      long next = 2 * shift * index + shift * d;
      List<ObjectNode> records = new ArrayList<>();
      List<ObjectNode> good = new ArrayList<>();
      for (long k = 0; k < quota; k++, slot++) {
        if (slot % EVERY == BAD_AT) {
          Reason kind = BAD_KINDS.get((int) (badCycle++ % BAD_KINDS.size()));
          records.add(broken(record(show(next++), list, d), kind));
          exp.quarantinedByReason.merge(kind.code(), 1L, Long::sum);
        } else if (slot % EVERY == DUP_AT && !good.isEmpty()) {
          ObjectNode copy = good.get(rng.nextInt(good.size())).deepCopy();
          copy.put("vote_count", Math.max(0, copy.path("vote_count").asLong() - 1));
          records.add(copy);
          exp.duplicates++;
        } else {
          Show s = show(next++);
          ObjectNode rec = record(s, list, d);
          records.add(rec);
          good.add(rec);
          exp.silver++;
          if (s.unknownGenre()) {
            exp.unknownCategory++;
          }
        }
      }
      exp.records += quota;
      int pages = (int) ((records.size() + PAGE - 1) / PAGE);
      for (int p = 0; p < pages; p++) {
        List<ObjectNode> page = records.subList(p * PAGE, Math.min(records.size(), (p + 1) * PAGE));
        String meta = (d + p) % 2 == 0 ? list : null;
        writeShows(
            exp,
            folder + String.format(Locale.ROOT, "%s-p%03d.json", list, p + 1),
            page(page, p + 1, pages, records.size(), meta, day));
      }
      if (index == 0 && d == 0) {
        // a page the ingest put under the wrong list: its _metadata names another one
        String other = LISTS.get((LISTS.indexOf(list) + 1) % LISTS.size());
        List<ObjectNode> two =
            List.of(record(show(next++), other, d), record(show(next++), other, d));
        writeShows(
            exp,
            folder + String.format(Locale.ROOT, "%s-p%03d.json", other, 1),
            page(two, 1, 1, 2, other, day));
        exp.records += 2;
        exp.quarantinedByReason.merge(Reason.INVALID_PATH.code(), 2L, Long::sum);
      }
      if (d == days - 1) {
        // an upload cut off in the middle of a show: one malformed record
        byte[] whole =
            page(
                List.of(record(show(next++), list, d), record(show(next++), list, d)),
                pages + 1,
                pages + 1,
                records.size() + 2,
                list,
                day);
        writeShows(
            exp,
            folder + String.format(Locale.ROOT, "%s-p%03d.json", list, pages + 1),
            Arrays.copyOf(whole, whole.length / 2));
        exp.records += 1;
        exp.quarantinedByReason.merge(Reason.MALFORMED_JSON.code(), 1L, Long::sum);
      }
    }
  }

  /**
   * A list response, one show per line; with {@code metaList} the ingest's {@code _metadata} last.
   */
  private byte[] page(
      List<ObjectNode> shows, int page, int pages, long total, String metaList, LocalDate day)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(shows.size() * 900 + 200);
    out.write(("{\"page\":" + page + ",\"results\":[").getBytes(StandardCharsets.UTF_8));
    for (int i = 0; i < shows.size(); i++) {
      out.write(i == 0 ? '\n' : ',');
      if (i > 0) {
        out.write('\n');
      }
      out.write(JSON.writeValueAsBytes(shows.get(i)));
    }
    out.write(
        ("\n],\"total_pages\":" + pages + ",\"total_results\":" + total)
            .getBytes(StandardCharsets.UTF_8));
    if (metaList != null) {
      ObjectNode meta = JSON.createObjectNode();
      meta.put("ingestion_timestamp", day + "T06:00:00Z");
      meta.put("execution_id", "generate-" + settings.seed() + "-" + day);
      meta.put("data_type", metaList);
      out.write(",\"_metadata\":".getBytes(StandardCharsets.UTF_8));
      out.write(JSON.writeValueAsBytes(meta));
    }
    out.write("}\n".getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  private void writeShows(Expected.Region exp, String path, byte[] bytes) throws IOException {
    write(path, bytes);
    exp.files++;
    exp.bytes += bytes.length;
  }

  private static void write(String path, byte[] bytes) throws IOException {
    try (OutputStream os = BronzeGenerator.open(path)) {
      os.write(bytes);
    }
  }
}
