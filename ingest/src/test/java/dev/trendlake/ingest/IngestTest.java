package dev.trendlake.ingest;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trendlake.ingest.ReplayServer.Reply;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code trendlake ingest} against a local replay of the YouTube Data API: the bronze files byte
 * for byte, the retries, the stops, the exit status, and that the API key is nowhere but in the
 * requests the server received.
 */
public class IngestTest {
  static final String KEY = "AIzaTEST-do-not-log-0123456789abcdef";
  static final Clock T = Clock.fixed(Instant.parse("2026-11-22T10:15:30.250Z"), ZoneOffset.UTC);
  static final String TS = "202611221015";

  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private ReplayServer api;
  private Path bronze;

  @Before
  public void start() throws IOException {
    api = new ReplayServer();
    bronze = tmp.newFolder("bronze").toPath();
  }

  @After
  public void stop() {
    api.close();
  }

  static byte[] fixture(String name) throws IOException {
    try (InputStream in = IngestTest.class.getResourceAsStream("/youtube-api/" + name)) {
      if (in == null) {
        throw new IOException("no test resource /youtube-api/" + name);
      }
      return in.readAllBytes();
    }
  }

  /** Scripts the happy path for a region: two pages and the categories. */
  void scriptUs(String region) throws IOException {
    api.on("videos", region, null, Reply.ok(fixture("us-videos-p1.json")))
        .on("videos", region, "CAIQAA", Reply.ok(fixture("us-videos-p2.json")))
        .on("videoCategories", region, null, Reply.ok(fixture("us-categories.json")));
  }

  record Result(int exit, String out, String err, String logs) {
    String all() {
      return out + "\n" + err + "\n" + logs;
    }
  }

  static Result ingest(Clock clock, Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ByteArrayOutputStream logs = new ByteArrayOutputStream();
    PrintStream realErr = System.err;
    // slf4j-simple writes to whatever System.err is at the time of each log call
    System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
    int exit;
    try {
      exit =
          IngestMain.run(
              args,
              new PrintStream(out, true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8),
              clock,
              env);
    } finally {
      System.setErr(realErr);
    }
    Result r =
        new Result(
            exit,
            out.toString(StandardCharsets.UTF_8),
            err.toString(StandardCharsets.UTF_8),
            logs.toString(StandardCharsets.UTF_8));
    realErr.println("--- ingest exit " + exit + "\n" + r.all());
    return r;
  }

  Result ingest(String regions, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--regions=" + regions,
                "--output=" + bronze,
                "--apiBaseUrl=" + api.baseUrl(),
                "--maxAttempts=4",
                "--initialBackoffMillis=1",
                "--maxBackoffMillis=5"));
    for (String e : extra) {
      String name = e.substring(0, e.indexOf('=') + 1);
      args.removeIf(a -> a.startsWith(name)); // a test's own value wins
      args.add(e);
    }
    return ingest(T, Map.of(ApiKeys.ENV, KEY), args.toArray(new String[0]));
  }

  byte[] read(String relative) throws IOException {
    return Files.readAllBytes(bronze.resolve(relative));
  }

  TreeSet<String> files() throws IOException {
    try (Stream<Path> s = Files.walk(bronze)) {
      return s.filter(Files::isRegularFile)
          .map(p -> bronze.relativize(p).toString())
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  JsonNode requestLog(String region) throws IOException {
    return new ObjectMapper()
        .readTree(read("raw_api/region=" + region + "/ts=" + TS + "/_requests.json"));
  }

  /**
   * The key reached the server (so it was really sent) and nothing else: no file, no output, no
   * log.
   */
  void assertKeyOnlyOnTheWire(Result r) throws IOException {
    assertTrue(
        "the server received the key",
        api.requests().stream().allMatch(u -> u.contains("key=" + KEY)));
    assertKeyNowhereElse(bronze, r, KEY);
  }

  /**
   * Neither {@code key} nor {@link #OTHER_KEY} is in the output, the logs or any file under {@code
   * bronze}, in any form a server may have echoed it.
   */
  static void assertKeyNowhereElse(Path bronze, Result r, String key) throws IOException {
    assertThat(r.all(), not(containsString(key)));
    List<Path> all;
    try (Stream<Path> s = Files.walk(bronze)) {
      all = s.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path f : all) {
      String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
      for (String form : decodings(content)) {
        assertFalse(f + " holds the API key:\n" + content, form.contains(key));
        assertFalse(f + " holds a key= value:\n" + content, form.contains(OTHER_KEY));
      }
    }
  }

  /** Another key a proxy might add to the request it echoes. */
  static final String OTHER_KEY = "AIzaPROXY-other-key-987";

  /** {@code s} as written, JSON-unescaped, URL-decoded, entity-decoded, and all of these. */
  static List<String> decodings(String s) {
    String json =
        java.util.regex.Pattern.compile("\\\\u([0-9a-fA-F]{4})")
            .matcher(s.replace("\\/", "/"))
            .replaceAll(m -> String.valueOf((char) Integer.parseInt(m.group(1), 16)));
    List<String> out = new ArrayList<>(List.of(s, json));
    for (String t : List.of(s, json)) {
      String url = t;
      for (int i = 0; i < 2; i++) {
        url = url.replaceAll("%([0-9a-fA-F]{2})", "\u0000$1");
        url =
            java.util.regex.Pattern.compile("\u0000([0-9a-fA-F]{2})")
                .matcher(url)
                .replaceAll(m -> String.valueOf((char) Integer.parseInt(m.group(1), 16)));
        out.add(url);
      }
      out.add(
          java.util.regex.Pattern.compile("&#(x?)([0-9a-fA-F]+);")
              .matcher(t)
              .replaceAll(
                  m ->
                      String.valueOf(
                          (char) Integer.parseInt(m.group(2), m.group(1).isEmpty() ? 10 : 16))));
    }
    return out;
  }

  /** The key as a server that escapes every character would write it. */
  static String escaped(String key, String format) {
    StringBuilder b = new StringBuilder();
    for (char c : key.toCharArray()) {
      b.append(String.format(java.util.Locale.ROOT, format, (int) c));
    }
    return b.toString();
  }

  @Test
  public void anEchoingServerPutsNoKeyIntoBronzeInAnyEncoding() throws IOException {
    // a 400 whose body echoes the request (and a proxy's own key) in the forms servers use:
    // Go's JSON escapes of = and &, every character escaped, percent-encoded (once and twice),
    // HTML entities, and a UTF-16 copy
    String url = api.baseUrl() + "/videos?part=snippet&regionCode=ZZ&key=" + KEY;
    String echo =
        "{\"error\": {\"code\": 400, \"message\": \"Request contains an invalid argument.\","
            + " \"request\": \""
            + url.replace("=", "\\u003d").replace("&", "\\u0026").replace("/", "\\/")
            + "\", \"json\": \""
            + escaped(KEY, "\\u%04x")
            + "\", \"pct\": \""
            + escaped(KEY, "%%%02X")
            + "\", \"pct2\": \""
            + escaped(KEY, "%%25%02x")
            + "\", \"html\": \""
            + escaped(KEY, "&#%d;")
            + "\", \"proxy\": \"https://proxy/x?key\\u003d"
            + OTHER_KEY
            + "\\u0026a\\u003d1 and key%3D"
            + OTHER_KEY
            + "\"}}";
    byte[] body = echo.getBytes(StandardCharsets.UTF_8);
    byte[] utf16 = ("{\"echo\": \"" + KEY + "\"}").getBytes(StandardCharsets.UTF_16LE);
    api.on("videos", "ZZ", null, Reply.status(400, body))
        .on("videos", "YY", null, Reply.status(400, utf16));
    Result r = ingest("zz,yy");
    assertEquals(r.all(), 1, r.exit());
    String saved =
        new String(
            read("raw_api/region=zz/ts=" + TS + "/videos-p001.http400.json"),
            StandardCharsets.UTF_8);
    assertThat(saved, containsString("Request contains an invalid argument."));
    assertThat(saved, containsString("REDACTED"));
    assertKeyOnlyOnTheWire(r);
    String utf16Saved =
        new String(
            read("raw_api/region=yy/ts=" + TS + "/videos-p001.http400.json"),
            StandardCharsets.UTF_16LE);
    assertFalse(utf16Saved, utf16Saved.contains(KEY));
  }

  @Test
  public void writesBronzeByteForByte() throws IOException {
    scriptUs("US");
    Result r = ingest("us");
    assertEquals(r.all(), 0, r.exit());
    String raw = "raw_api/region=us/ts=" + TS + "/";
    assertEquals(
        new TreeSet<>(
            List.of(
                raw + "_requests.json",
                raw + "videoCategories.json",
                raw + "videos-p001.json",
                raw + "videos-p002.json",
                "raw_statistics/region=us/ts=" + TS + "/us_" + TS + ".csv",
                "raw_statistics_reference_data/region=us/US_category_id.json")),
        files());
    assertArrayEquals(fixture("us-videos-p1.json"), read(raw + "videos-p001.json"));
    assertArrayEquals(fixture("us-videos-p2.json"), read(raw + "videos-p002.json"));
    assertArrayEquals(fixture("us-categories.json"), read(raw + "videoCategories.json"));
    assertArrayEquals(
        fixture("us-categories.json"),
        read("raw_statistics_reference_data/region=us/US_category_id.json"));
    assertEquals(
        new String(fixture("expected/us_" + TS + ".csv"), StandardCharsets.UTF_8),
        new String(
            read("raw_statistics/region=us/ts=" + TS + "/us_" + TS + ".csv"),
            StandardCharsets.UTF_8));
    assertArrayEquals(
        fixture("expected/us_" + TS + ".csv"),
        read("raw_statistics/region=us/ts=" + TS + "/us_" + TS + ".csv"));

    // the requests the API saw: mostPopular, 50 per page, the token followed, then the categories
    List<String> seen = api.requests();
    assertEquals(3, seen.size());
    assertThat(
        seen.get(0),
        containsString(
            "/videos?part=snippet,statistics,contentDetails&chart=mostPopular&regio"
                + "nCode=US&maxResults=50&key="));
    assertThat(seen.get(1), containsString("&pageToken=CAIQAA&key="));
    assertThat(seen.get(2), containsString("/videoCategories?part=snippet&regionCode=US&key="));

    JsonNode log = requestLog("us");
    assertEquals("2026-11-22T10:15:30Z", log.path("fetch_time").asText());
    assertEquals(3, log.path("requests").size());
    assertThat(log.path("requests").get(0).path("url").asText(), containsString("key=REDACTED"));
    assertEquals("converted", log.path("requests").get(1).path("outcome").asText());

    assertThat(r.out(), containsString("us     ok                    4      2           3"));
    assertThat(r.out(), containsString("raw_statistics/region=us/ts=" + TS + "/us_" + TS + ".csv"));
    assertKeyOnlyOnTheWire(r);
  }

  @Test
  public void retries500ResetAnd429ThenSucceeds() throws IOException {
    scriptUs("US");
    api.on(
        "videos",
        "US",
        null,
        Reply.status(500, fixture("backend-error.json")),
        Reply.cut(fixture("us-videos-p1.json")),
        Reply.status(429, "{}".getBytes(StandardCharsets.UTF_8)).header("Retry-After", "1"),
        Reply.ok(fixture("us-videos-p1.json")));
    Result r = ingest("us");
    assertEquals(r.all(), 0, r.exit());
    assertEquals(4, api.hits("videos", "US", null));
    assertEquals(1, api.hits("videos", "US", "CAIQAA"));
    assertEquals(4, requestLog("us").path("requests").get(0).path("attempts").asInt());
    assertArrayEquals(
        fixture("expected/us_" + TS + ".csv"),
        read("raw_statistics/region=us/ts=" + TS + "/us_" + TS + ".csv"));
    assertThat(r.logs(), containsString("answered HTTP 500; retry 1 of 3"));
    assertThat(r.logs(), containsString("failed: IOException")); // the cut body, retry 2
    assertThat(
        r.logs(), containsString("answered HTTP 429; retry 3 of 3 in 5 ms")); // Retry-After capped
    assertThat(r.logs(), containsString("key=REDACTED"));
    assertKeyOnlyOnTheWire(r);
  }

  @Test
  public void givesUpAfterBoundedRetriesAndKeepsTheLastAnswer() throws IOException {
    scriptUs("US");
    api.on("videos", "US", "CAIQAA", Reply.status(503, fixture("backend-error.json")));
    Result r = ingest("us", "--maxAttempts=3");
    assertEquals(1, r.exit());
    assertEquals(3, api.hits("videos", "US", "CAIQAA"));
    assertEquals(0, api.hits("videoCategories", "US", null));
    String raw = "raw_api/region=us/ts=" + TS + "/";
    assertArrayEquals(fixture("backend-error.json"), read(raw + "videos-p002.http503.json"));
    // page 1 was well formed: it is converted, and the region is reported failed
    String csv =
        new String(
            read("raw_statistics/region=us/ts=" + TS + "/us_" + TS + ".csv"),
            StandardCharsets.UTF_8);
    assertEquals(3, csv.split("\n\"", -1).length); // header + 2 videos
    assertThat(
        r.err(),
        containsString(
            "us: failed: region US failed at videos.list page 2 after 3 attempts: HTTP 503"
                + " backendError"));
    assertKeyOnlyOnTheWire(r);
  }

  @Test
  public void connectionResetOnEveryAttemptIsAReportedFailure() throws IOException {
    api.on("videos", "US", null, Reply.drop());
    Result r = ingest("us", "--maxAttempts=2");
    assertEquals(1, r.exit());
    // the JDK client itself retries a GET once when the connection closes before any answer byte
    int hits = api.hits("videos", "US", null);
    assertTrue("hits " + hits, hits >= 2 && hits <= 4);
    assertEquals(2, requestLog("us").path("requests").get(0).path("attempts").asInt());
    assertThat(r.err(), containsString("us: failed: region US: GET "));
    assertThat(r.err(), containsString("(2 attempts)"));
    assertFalse(Files.exists(bronze.resolve("raw_statistics")));
    assertEquals(
        "network error", requestLog("us").path("requests").get(0).path("outcome").asText());
    assertKeyOnlyOnTheWire(r);
  }

  @Test
  public void quotaExceededStopsCleanlyAndKeepsWhatWasFetched() throws IOException {
    scriptUs("US");
    scriptUs("GB");
    api.on("videos", "GB", "CAIQAA", Reply.status(403, fixture("quota-exceeded.json")));
    scriptUs("CA");
    Result r = ingest("us,gb,ca");
    assertEquals(1, r.exit());
    assertEquals(1, api.hits("videos", "GB", "CAIQAA")); // a spent quota is not retried
    assertEquals(0, api.hits("videos", "CA", null));
    assertEquals(0, api.hits("videoCategories", "GB", null));
    assertThat(
        r.err(),
        containsString(
            "stopped: the YouTube Data API daily quota is exceeded (HTTP 403 quotaExceeded"));
    // 10:15 UTC is 02:15 PST: the next midnight Pacific is 08:00 UTC the day after
    assertThat(
        r.err(),
        containsString(
            "resets at midnight Pacific time: 2026-11-23 00:00 PST (2026-11-23T08:00:00Z), in 21 h"
                + " 44 min"));
    assertThat(r.err(), containsString("ca: not fetched: the daily quota is exceeded"));
    assertThat(r.out(), containsString("gb     quota exceeded        2      1           -"));
    // us is complete, gb keeps its raw answers and its first page, ca has nothing
    assertArrayEquals(
        fixture("expected/us_" + TS + ".csv"),
        read("raw_statistics/region=us/ts=" + TS + "/us_" + TS + ".csv"));
    assertArrayEquals(
        fixture("us-videos-p1.json"), read("raw_api/region=gb/ts=" + TS + "/videos-p001.json"));
    assertArrayEquals(
        fixture("quota-exceeded.json"),
        read("raw_api/region=gb/ts=" + TS + "/videos-p002.http403.json"));
    assertTrue(
        Files.exists(bronze.resolve("raw_statistics/region=gb/ts=" + TS + "/gb_" + TS + ".csv")));
    assertFalse(Files.exists(bronze.resolve("raw_api/region=ca")));
    assertKeyOnlyOnTheWire(r);
  }

  @Test
  public void badRegionFailsThatRegionOnly() throws IOException {
    api.on("videos", "ZZ", null, Reply.status(400, fixture("bad-region.json")));
    scriptUs("US");
    Result r = ingest("zz,us");
    assertEquals(1, r.exit());
    assertEquals(1, api.hits("videos", "ZZ", null)); // a 400 is not retried
    assertThat(
        r.err(), containsString("zz: failed: the API rejected region ZZ at videos.list page 1"));
    assertThat(r.err(), containsString("Request contains an invalid argument."));
    assertArrayEquals(
        fixture("expected/us_" + TS + ".csv"),
        read("raw_statistics/region=us/ts=" + TS + "/us_" + TS + ".csv"));
    assertFalse(Files.exists(bronze.resolve("raw_statistics/region=zz")));
    assertArrayEquals(
        fixture("bad-region.json"),
        read("raw_api/region=zz/ts=" + TS + "/videos-p001.http400.json"));
    assertKeyOnlyOnTheWire(r);
  }

  @Test
  public void malformedAnswersAreKeptAndReportedNeverConverted() throws IOException {
    byte[] page = fixture("us-videos-p1.json");
    byte[] truncated = Arrays.copyOf(page, page.length / 2);
    byte[] html = "<html><body>Service Unavailable</body></html>".getBytes(StandardCharsets.UTF_8);
    api.on("videos", "US", null, Reply.ok(truncated));
    scriptUs("GB");
    api.on("videoCategories", "GB", null, Reply.ok(html));
    Result r = ingest("us,gb");
    assertEquals(1, r.exit());
    assertArrayEquals(truncated, read("raw_api/region=us/ts=" + TS + "/videos-p001.json"));
    assertArrayEquals(html, read("raw_api/region=gb/ts=" + TS + "/videoCategories.json"));
    assertFalse(Files.exists(bronze.resolve("raw_statistics/region=us")));
    assertFalse(Files.exists(bronze.resolve("raw_statistics_reference_data/region=gb")));
    assertThat(
        r.err(),
        containsString(
            "us: failed: videos.list page 1 for region US is not a well-formed answer (invalid"
                + " JSON"));
    assertThat(
        r.err(),
        containsString(
            "kept as raw_api/region=us/ts=" + TS + "/videos-p001.json and not converted"));
    assertThat(
        r.err(),
        containsString(
            "gb: failed: videoCategories.list for region GB is not a well-formed answer"));
    assertEquals(
        "malformed, not converted",
        requestLog("us").path("requests").get(0).path("outcome").asText());
    assertKeyOnlyOnTheWire(r);
  }

  @Test
  public void rerunInTheSameMinuteReplacesTheSameFiles() throws IOException {
    scriptUs("US");
    assertEquals(0, ingest("us").exit());
    TreeSet<String> first = files();
    Clock later = Clock.fixed(Instant.parse("2026-11-22T10:15:59Z"), ZoneOffset.UTC);
    Result r =
        ingest(
            later,
            Map.of(ApiKeys.ENV, KEY),
            "--regions=us",
            "--output=" + bronze,
            "--apiBaseUrl=" + api.baseUrl());
    assertEquals(0, r.exit());
    assertEquals(first, files()); // same names, no temporary files left behind
    String csv =
        new String(
            read("raw_statistics/region=us/ts=" + TS + "/us_" + TS + ".csv"),
            StandardCharsets.UTF_8);
    assertThat(csv, containsString("\"2026-11-22T10:15:59Z\""));
    assertThat(csv, not(containsString("\"2026-11-22T10:15:30Z\"")));
  }

  @Test
  public void maxVideosBoundsThePagesAndRecords() throws IOException {
    scriptUs("US");
    Result r = ingest("us", "--maxVideos=2");
    assertEquals(0, r.exit());
    assertEquals(0, api.hits("videos", "US", "CAIQAA"));
    assertThat(api.requests().get(0), containsString("maxResults=2&"));
    assertThat(r.out(), containsString("us     ok                    2      1           3"));
  }

  @Test
  public void badOptionsAndMissingKeyExitWith2() {
    Result r =
        ingest(
            T, Map.of(ApiKeys.ENV, KEY), "--regions=usa,g1", "--output=" + bronze, "--maxVideos=0");
    assertEquals(2, r.exit());
    assertThat(r.err(), containsString("'usa' is not a two-letter region code"));
    assertThat(r.err(), containsString("'g1' is not a two-letter region code"));
    assertThat(r.err(), containsString("--maxVideos must be at least 1"));
    Result unknown =
        ingest(T, Map.of(ApiKeys.ENV, KEY), "--regions=us", "--output=" + bronze, "--maxVidoes=3");
    assertEquals(2, unknown.exit());
    assertThat(unknown.err(), containsString("unknown option --maxVidoes"));
    Result noKey =
        ingest(T, Map.of(), "--regions=us", "--output=" + bronze, "--apiBaseUrl=" + api.baseUrl());
    assertEquals(2, noKey.exit());
    assertThat(
        noKey.err(), containsString("no API key: set the environment variable YOUTUBE_API_KEY"));
    assertEquals(0, api.totalHits());
  }
}
