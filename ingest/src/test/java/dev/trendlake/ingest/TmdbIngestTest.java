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
import java.io.IOException;
import java.io.InputStream;
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
 * {@code trendlake ingest --source=tmdb} against a local replay of TMDB's API v3 (answers built
 * from a real {@code /trending/tv/day} page): the bronze files byte for byte, paging, the retries,
 * a malformed answer kept and reported, a refused key, the exit status, and that the key is nowhere
 * but in the requests the server received.
 */
public class TmdbIngestTest {
  static final String KEY = "tmdbTEST0do0not0log0c0ffee0123456";
  static final String DT = "2026-11-22";
  static final String TS = "202611221015";
  static final String EXEC = "test-exec-0001";
  static final String SHOWS = "raw_tmdb/shows/";
  static final String GENRES_FILE = "raw_tmdb/genres/genres-" + DT + ".json";
  static final String RAW = "raw_api/tmdb/ts=" + TS + "/";

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
    try (InputStream in = TmdbIngestTest.class.getResourceAsStream("/tmdb-api/" + name)) {
      if (in == null) {
        throw new IOException("no test resource /tmdb-api/" + name);
      }
      return in.readAllBytes();
    }
  }

  static String page(String list, int page) {
    return String.format(
        java.util.Locale.ROOT, "%sdata_type=%s/dt=%s/%s-p%03d.json", SHOWS, list, DT, list, page);
  }

  /** Every list and the genres answer well: popular in two pages, the others in one. */
  void scriptAll() throws IOException {
    api.onTmdb("genre/tv/list", null, Reply.ok(fixture("genres.json")))
        .onTmdb("tv/popular", 1, Reply.ok(fixture("popular-p1.json")))
        .onTmdb("tv/popular", 2, Reply.ok(fixture("popular-p2.json")))
        .onTmdb("trending/tv/day", 1, Reply.ok(fixture("trending-p1.json")))
        .onTmdb("tv/airing_today", 1, Reply.ok(fixture("airing_today-p1.json")));
  }

  IngestTest.Result ingest(String... extra) {
    return ingest(IngestTest.T, Map.of(Source.TMDB.keyEnv(), KEY), extra);
  }

  IngestTest.Result ingest(Clock clock, Map<String, String> env, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--source=tmdb",
                "--output=" + bronze,
                "--apiBaseUrl=" + api.tmdbBaseUrl(),
                "--executionId=" + EXEC,
                "--maxAttempts=4",
                "--initialBackoffMillis=1",
                "--maxBackoffMillis=5"));
    for (String e : extra) {
      String name = e.substring(0, e.indexOf('=') + 1);
      args.removeIf(a -> a.startsWith(name)); // a test's own value wins
      args.add(e);
    }
    return IngestTest.ingest(clock, env, args.toArray(new String[0]));
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

  JsonNode requestLog() throws IOException {
    return new ObjectMapper().readTree(read(RAW + "_requests.json"));
  }

  void assertKeyOnlyOnTheWire(IngestTest.Result r) throws IOException {
    assertTrue(
        "the server received the key",
        api.requests().stream().allMatch(u -> u.contains("api_key=" + KEY)));
    IngestTest.assertKeyNowhereElse(bronze, r, KEY);
  }

  @Test
  public void writesEveryListAndTheGenresByteForByte() throws IOException {
    scriptAll();
    IngestTest.Result r = ingest();
    assertEquals(r.all(), 0, r.exit());
    assertEquals(
        new TreeSet<>(
            List.of(
                GENRES_FILE,
                page("popular", 1),
                page("popular", 2),
                page("trending", 1),
                page("airing_today", 1),
                RAW + "_requests.json")),
        files());
    // each page is TMDB's answer with _metadata added: compared with files written by hand
    assertArrayEquals(fixture("expected/popular-p001.json"), read(page("popular", 1)));
    assertArrayEquals(fixture("expected/popular-p002.json"), read(page("popular", 2)));
    assertArrayEquals(fixture("expected/trending-p001.json"), read(page("trending", 1)));
    assertArrayEquals(fixture("expected/airing_today-p001.json"), read(page("airing_today", 1)));
    assertArrayEquals(fixture("genres.json"), read(GENRES_FILE));

    // the genres, then each list's pages until total_pages, though --pages is 5 by default
    List<String> seen = api.requests();
    assertEquals(seen.toString(), 5, seen.size());
    assertEquals("/3/genre/tv/list?api_key=" + KEY, seen.get(0));
    assertEquals("/3/tv/popular?page=1&api_key=" + KEY, seen.get(1));
    assertEquals("/3/tv/popular?page=2&api_key=" + KEY, seen.get(2));
    assertEquals("/3/trending/tv/day?page=1&api_key=" + KEY, seen.get(3));
    assertEquals("/3/tv/airing_today?page=1&api_key=" + KEY, seen.get(4));
    assertTrue(api.authorizations().stream().allMatch(String::isEmpty));

    JsonNode log = requestLog();
    assertEquals("2026-11-22T10:15:30Z", log.path("fetch_time").asText());
    assertEquals(EXEC, log.path("execution_id").asText());
    assertEquals(5, log.path("requests").size());
    for (JsonNode req : log.path("requests")) {
      assertThat(req.path("url").asText(), containsString("api_key=REDACTED"));
      assertEquals("written", req.path("outcome").asText());
      assertEquals(1, req.path("attempts").asInt());
    }
    assertEquals(page("popular", 2), log.path("requests").get(2).path("file").asText());

    assertThat(r.out(), containsString("(dt=2026-11-22, execution_id=test-exec-0001)"));
    assertThat(r.out(), containsString(": 4 of 4 lists ingested"));
    assertThat(r.out(), containsString("  genres        ok                16      1"));
    assertThat(r.out(), containsString("  popular       ok                 3      2"));
    assertThat(r.out(), containsString("  airing_today  ok                 2      1"));
    assertThat(r.out(), containsString("    " + page("trending", 1)));
    assertKeyOnlyOnTheWire(r);
  }

  @Test
  public void listsAndPagesBoundWhatIsFetched() throws IOException {
    scriptAll();
    IngestTest.Result r = ingest("--lists=Popular", "--pages=1");
    assertEquals(r.all(), 0, r.exit());
    assertEquals(1, api.tmdbHits("tv/popular", 1));
    assertEquals(0, api.tmdbHits("tv/popular", 2));
    assertEquals(0, api.tmdbHits("trending/tv/day", 1));
    assertEquals(
        new TreeSet<>(List.of(GENRES_FILE, page("popular", 1), RAW + "_requests.json")), files());
    assertThat(r.out(), containsString(": 2 of 2 lists ingested"));
  }

  @Test
  public void retries500ResetAnd429ThenSucceeds() throws IOException {
    scriptAll();
    api.onTmdb(
        "tv/popular",
        1,
        Reply.status(503, fixture("service-offline.json")),
        Reply.cut(fixture("popular-p1.json")),
        Reply.status(429, fixture("rate-limited.json")).header("Retry-After", "1"),
        Reply.ok(fixture("popular-p1.json")));
    IngestTest.Result r = ingest();
    assertEquals(r.all(), 0, r.exit());
    assertEquals(4, api.tmdbHits("tv/popular", 1));
    assertEquals(4, requestLog().path("requests").get(1).path("attempts").asInt());
    assertArrayEquals(fixture("expected/popular-p001.json"), read(page("popular", 1)));
    assertThat(r.logs(), containsString("answered HTTP 503; retry 1 of 3"));
    assertThat(r.logs(), containsString("failed: IOException")); // the cut body, retry 2
    assertThat(
        r.logs(), containsString("answered HTTP 429; retry 3 of 3 in 5 ms")); // Retry-After capped
    assertThat(r.logs(), containsString("api_key=REDACTED"));
    assertEquals(
        new TreeSet<>(
            List.of(
                GENRES_FILE,
                page("popular", 1),
                page("popular", 2),
                page("trending", 1),
                page("airing_today", 1),
                RAW + "_requests.json")),
        files());
    assertKeyOnlyOnTheWire(r);
  }

  @Test
  public void givesUpAfterBoundedRetriesFailsThatListOnlyAndKeepsTheLastAnswer()
      throws IOException {
    scriptAll();
    api.onTmdb("tv/airing_today", 1, Reply.status(503, fixture("service-offline.json")));
    api.onTmdb(
        "tv/popular",
        2,
        Reply.status(
            404,
            ("{\"status_code\":34,\"status_message\":\"The resource you requested could not be"
                    + " found.\",\"success\":false}")
                .getBytes(StandardCharsets.UTF_8)));
    IngestTest.Result r = ingest("--maxAttempts=3");
    assertEquals(r.all(), 1, r.exit());
    assertEquals(3, api.tmdbHits("tv/airing_today", 1));
    assertEquals(1, api.tmdbHits("tv/popular", 2)); // a 404 is not retried
    assertArrayEquals(
        fixture("service-offline.json"), read(RAW + "airing_today-p001.http503.json"));
    assertFalse(Files.exists(bronze.resolve(SHOWS + "data_type=airing_today")));
    // popular keeps its first page; trending is complete
    assertArrayEquals(fixture("expected/popular-p001.json"), read(page("popular", 1)));
    assertFalse(Files.exists(bronze.resolve(page("popular", 2))));
    assertArrayEquals(fixture("expected/trending-p001.json"), read(page("trending", 1)));
    assertThat(
        r.err(),
        containsString(
            "airing_today: failed: airing_today page 1 failed after 3 attempts: HTTP 503"
                + " status_code=9: Service offline"));
    assertThat(r.err(), containsString("popular: failed: popular page 2 failed after 1 attempt"));
    assertThat(r.out(), containsString(": 2 of 4 lists ingested"));
    assertThat(r.out(), containsString("  popular       failed             2      1"));
    assertEquals("refused", requestLog().path("requests").get(2).path("outcome").asText());
    assertKeyOnlyOnTheWire(r);
  }

  @Test
  public void malformedAnswersAreKeptWhereTheRunQuarantinesThemAndReported() throws IOException {
    scriptAll();
    byte[] p1 = fixture("trending-p1.json");
    byte[] truncated = Arrays.copyOf(p1, p1.length / 2);
    byte[] html = "<html><body>Bad Gateway</body></html>".getBytes(StandardCharsets.UTF_8);
    byte[] noGenres = "{\"success\":true}".getBytes(StandardCharsets.UTF_8);
    api.onTmdb("trending/tv/day", 1, Reply.ok(truncated))
        .onTmdb("tv/popular", 2, Reply.ok(html))
        .onTmdb("genre/tv/list", null, Reply.ok(noGenres));
    IngestTest.Result r = ingest();
    assertEquals(r.all(), 1, r.exit());
    assertArrayEquals(truncated, read(page("trending", 1)));
    assertArrayEquals(html, read(page("popular", 2)));
    assertArrayEquals(noGenres, read(GENRES_FILE));
    assertArrayEquals(fixture("expected/popular-p001.json"), read(page("popular", 1)));
    assertArrayEquals(fixture("expected/airing_today-p001.json"), read(page("airing_today", 1)));
    assertThat(
        r.err(),
        containsString(
            "trending: failed: trending page 1 is not a well-formed list response (invalid JSON"));
    assertThat(
        r.err(),
        containsString("kept as " + page("trending", 1) + ", where the run quarantines it"));
    assertThat(
        r.err(),
        containsString("popular: failed: popular page 2 is not a well-formed list response"));
    assertThat(
        r.err(),
        containsString("genres: failed: the genre list is not a well-formed answer (no genres"));
    assertThat(r.out(), containsString(": 1 of 4 lists ingested"));
    assertEquals(
        "malformed, kept as is", requestLog().path("requests").get(0).path("outcome").asText());
    assertKeyOnlyOnTheWire(r);
  }

  @Test
  public void aRefusedKeyStopsTheRunAndKeepsWhatWasFetched() throws IOException {
    scriptAll();
    api.onTmdb("tv/popular", 2, Reply.status(401, fixture("invalid-key.json")));
    IngestTest.Result r = ingest();
    assertEquals(r.all(), 1, r.exit());
    assertEquals(1, api.tmdbHits("tv/popular", 2)); // a refused key is not retried
    assertEquals(0, api.tmdbHits("trending/tv/day", 1));
    assertEquals(0, api.tmdbHits("tv/airing_today", 1));
    assertThat(
        r.err(),
        containsString(
            "stopped: the API key was refused (HTTP 401 status_code=7: Invalid API key: You must"
                + " be granted a valid key.): check TMDB_API_KEY or the secret"));
    assertThat(r.err(), containsString("trending: not fetched: the API key was refused"));
    assertThat(r.err(), containsString("airing_today: not fetched: the API key was refused"));
    assertArrayEquals(fixture("invalid-key.json"), read(RAW + "popular-p002.http401.json"));
    assertEquals(
        new TreeSet<>(
            List.of(
                GENRES_FILE,
                page("popular", 1),
                RAW + "popular-p002.http401.json",
                RAW + "_requests.json")),
        files());
    assertKeyOnlyOnTheWire(r);
  }

  @Test
  public void aRefusedKeyAtTheFirstRequestFetchesNothingElse() throws IOException {
    api.onTmdb("genre/tv/list", null, Reply.status(401, fixture("invalid-key.json")));
    IngestTest.Result r = ingest();
    assertEquals(r.all(), 1, r.exit());
    assertEquals(1, api.totalHits());
    assertThat(r.out(), containsString(": 0 of 4 lists ingested"));
    assertThat(r.err(), containsString("popular: not fetched: the API key was refused"));
    assertFalse(Files.exists(bronze.resolve("raw_tmdb")));
    assertKeyOnlyOnTheWire(r);
  }

  @Test
  public void anEchoingServerPutsNoKeyIntoBronzeInAnyEncoding() throws IOException {
    scriptAll();
    String url = api.tmdbBaseUrl() + "/tv/popular?page=2&api_key=" + KEY;
    String echo =
        "{\"status_code\":22,\"status_message\":\"Invalid page: Pages start at 1 and max at"
            + " 500.\",\"success\":false,\"request\":\""
            + url.replace("=", "\\u003d").replace("&", "\\u0026").replace("/", "\\/")
            + "\",\"json\":\""
            + IngestTest.escaped(KEY, "\\u%04x")
            + "\",\"pct\":\""
            + IngestTest.escaped(KEY, "%%%02X")
            + "\",\"pct2\":\""
            + IngestTest.escaped(KEY, "%%25%02x")
            + "\",\"html\":\""
            + IngestTest.escaped(KEY, "&#%d;")
            + "\",\"proxy\":\"https://proxy/x?api_key\\u003d"
            + IngestTest.OTHER_KEY
            + "\\u0026a\\u003d1 and api_key%3D"
            + IngestTest.OTHER_KEY
            + "\"}";
    api.onTmdb("tv/popular", 2, Reply.status(400, echo.getBytes(StandardCharsets.UTF_8)));
    // a 200 page that quotes the key (a proxy's echo inside data) keeps every other byte
    String quoting =
        new String(fixture("trending-p1.json"), StandardCharsets.UTF_8)
            .replaceFirst("\"overview\":\"", "\"overview\":\"" + KEY + " ");
    api.onTmdb("trending/tv/day", 1, Reply.ok(quoting.getBytes(StandardCharsets.UTF_8)));
    IngestTest.Result r = ingest();
    assertEquals(r.all(), 1, r.exit());
    String saved = new String(read(RAW + "popular-p002.http400.json"), StandardCharsets.UTF_8);
    assertThat(saved, containsString("Invalid page: Pages start at 1 and max at 500."));
    assertThat(saved, containsString("REDACTED"));
    assertThat(
        new String(read(page("trending", 1)), StandardCharsets.UTF_8),
        containsString("\"overview\":\"REDACTED "));
    assertThat(r.err(), containsString("HTTP 400 status_code=22: Invalid page"));
    assertKeyOnlyOnTheWire(r);
  }

  @Test
  public void aReadAccessTokenTravelsAsABearerHeader() throws IOException {
    String token = "eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiJ0cmVuZGxha2UtdGVzdCJ9.c2lnbmF0dXJlLXRlc3Q";
    scriptAll();
    IngestTest.Result r = ingest(IngestTest.T, Map.of(Source.TMDB.keyEnv(), token));
    assertEquals(r.all(), 0, r.exit());
    assertEquals(5, api.authorizations().size());
    assertTrue(
        api.authorizations().toString(),
        api.authorizations().stream().allMatch(a -> a.equals("Bearer " + token)));
    assertTrue(api.requests().stream().noneMatch(u -> u.contains("api_key")));
    assertArrayEquals(fixture("expected/popular-p001.json"), read(page("popular", 1)));
    IngestTest.assertKeyNowhereElse(bronze, r, token);
  }

  @Test
  public void aRerunOnTheSameDayReplacesTheSameFiles() throws IOException {
    scriptAll();
    assertEquals(0, ingest().exit());
    TreeSet<String> first = files();
    Clock later = Clock.fixed(Instant.parse("2026-11-22T10:15:59Z"), ZoneOffset.UTC);
    IngestTest.Result r =
        ingest(later, Map.of(Source.TMDB.keyEnv(), KEY), "--executionId=test-exec-0002");
    assertEquals(r.all(), 0, r.exit());
    assertEquals(first, files()); // same names, no temporary files left behind
    String p1 = new String(read(page("popular", 1)), StandardCharsets.UTF_8);
    assertThat(
        p1,
        containsString(
            "\"_metadata\":{\"ingestion_timestamp\":\"2026-11-22T10:15:59Z\","
                + "\"execution_id\":\"test-exec-0002\",\"data_type\":\"popular\"}}"));
    assertThat(p1, not(containsString("test-exec-0001")));
  }

  @Test
  public void anExecutionIdIsMadeWhenNoneIsGiven() throws IOException {
    scriptAll();
    IngestTest.Result r =
        IngestTest.ingest(
            IngestTest.T,
            Map.of(Source.TMDB.keyEnv(), KEY),
            "--source=tmdb",
            "--output=" + bronze,
            "--apiBaseUrl=" + api.tmdbBaseUrl(),
            "--lists=trending");
    assertEquals(r.all(), 0, r.exit());
    JsonNode meta = new ObjectMapper().readTree(read(page("trending", 1))).path("_metadata");
    assertTrue(
        meta.toString(), meta.path("execution_id").asText().matches("[0-9a-f]{8}-[0-9a-f]{4}-.*"));
    assertEquals(meta.path("execution_id").asText(), requestLog().path("execution_id").asText());
  }

  @Test
  public void badOptionsAndMissingKeyExitWith2() {
    IngestTest.Result r =
        ingest("--lists=popular,weekly", "--pages=0", "--regions=us", "--maxVideos=3");
    assertEquals(r.all(), 2, r.exit());
    assertThat(r.err(), containsString("--lists: 'weekly' is not a TMDB list"));
    assertThat(r.err(), containsString("--pages must be at least 1"));
    assertThat(
        r.err(),
        containsString("--regions is an option of --source=youtube, not of --source=tmdb"));
    assertThat(r.err(), containsString("--maxVideos is an option of --source=youtube"));
    IngestTest.Result tooMany = ingest("--pages=501");
    assertEquals(2, tooMany.exit());
    assertThat(tooMany.err(), containsString("--pages must be at most 500"));
    IngestTest.Result badId = ingest("--executionId=a b");
    assertEquals(2, badId.exit());
    assertThat(badId.err(), containsString("--executionId must be"));
    IngestTest.Result source = ingest("--source=netflix");
    assertEquals(2, source.exit());
    assertThat(source.err(), containsString("--source must be youtube or tmdb, not 'netflix'"));
    IngestTest.Result youtube =
        IngestTest.ingest(
            IngestTest.T,
            Map.of(ApiKeys.ENV, KEY),
            "--regions=us",
            "--lists=popular",
            "--output=" + bronze);
    assertEquals(2, youtube.exit());
    assertThat(
        youtube.err(),
        containsString("--lists is an option of --source=tmdb, not of --source=youtube"));
    IngestTest.Result noKey = ingest(IngestTest.T, Map.of(ApiKeys.ENV, "a-youtube-key"));
    assertEquals(2, noKey.exit());
    assertThat(
        noKey.err(), containsString("no API key: set the environment variable TMDB_API_KEY"));
    assertEquals(0, api.totalHits());
  }
}
