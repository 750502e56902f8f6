package dev.trendlake.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trendlake.ingest.AnswerJson.MalformedResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches TMDB's TV lists and TV genres (API v3) into the bronze layout {@code trendlake run
 * --dataset=tmdb} reads, for one fetch time T shared by the whole run ({@code dt} = T's UTC day,
 * {@code ts} = T as {@code yyyyMMddHHmm}):
 *
 * <pre>
 * raw_tmdb/shows/data_type=popular/dt=dt/popular-p001.json   each page: TMDB's answer byte for byte,
 *                                                            with "_metadata" added as its last field
 * raw_tmdb/genres/genres-dt.json                             the /genre/tv/list answer, unchanged
 * raw_api/tmdb/ts=ts/popular-p002.http503.json               a final non-200 answer (not data)
 * raw_api/tmdb/ts=ts/_requests.json                          per request: redacted URL, status,
 *                                                            attempts, file, outcome
 * </pre>
 *
 * {@code _metadata} is {@code {"ingestion_timestamp": T, "execution_id", "data_type": list}}, the
 * wrapper the pipeline checks against the folder. A 200 answer that is not a list response (not
 * JSON, cut off, no {@code results} array) is kept as it came under the same name, where the run
 * quarantines it as {@code malformed_json}, and reported; paging of that list stops there. Pages
 * follow {@code page=1..} up to {@code pages} or the answer's {@code total_pages}.
 */
public final class TmdbIngest {
  private static final Logger LOG = LoggerFactory.getLogger(TmdbIngest.class);
  static final DateTimeFormatter TS =
      DateTimeFormatter.ofPattern("yyyyMMddHHmm", Locale.ROOT).withZone(ZoneOffset.UTC);
  static final DateTimeFormatter DT = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

  /** The API path of each list. */
  static final Map<String, String> ENDPOINTS =
      Map.of(
          "popular", "tv/popular",
          "trending", "trending/tv/day",
          "airing_today", "tv/airing_today");

  static final String GENRES = "genres";
  static final String GENRES_ENDPOINT = "genre/tv/list";

  /** The key was refused: every other request would be too, so the run stops. */
  public static final class StopException extends Exception {
    private final ListResult result;

    StopException(ListResult result) {
      super(result.message());
      this.result = result;
    }

    public ListResult result() {
      return result;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper PRETTY =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final ApiClient api;
  private final BronzeFiles files;
  private final Redactor redactor;
  private final int pages;
  private final Instant fetchTime;
  private final String executionId;
  private final ArrayNode requests = PRETTY.createArrayNode();

  public TmdbIngest(
      ApiClient api,
      BronzeFiles files,
      Redactor redactor,
      int pages,
      Instant fetchTime,
      String executionId) {
    this.api = api;
    this.files = files;
    this.redactor = redactor;
    this.pages = pages;
    this.fetchTime = fetchTime.truncatedTo(ChronoUnit.SECONDS);
    this.executionId = executionId;
  }

  /**
   * TMDB's API Read Access Token (a JWT: three dot-separated parts) goes in an {@code
   * Authorization: Bearer} header; a v3 API key in the {@code api_key} query parameter.
   */
  static ApiClient.Credential credential(String key) {
    return key.chars().filter(c -> c == '.').count() == 2
        ? ApiClient.Credential.bearer(key)
        : ApiClient.Credential.query(Source.TMDB.keyParam(), key);
  }

  /** T's UTC day: the {@code dt=} of every list written. */
  public String dt() {
    return DT.format(fetchTime);
  }

  public String ts() {
    return TS.format(fetchTime);
  }

  /** T, as written to {@code _metadata.ingestion_timestamp}. */
  public String fetchTime() {
    return DateTimeFormatter.ISO_INSTANT.format(fetchTime);
  }

  public String executionId() {
    return executionId;
  }

  /** Where the error answers and the request log go, outside the folders the pipeline reads. */
  public String rawDir() {
    return "raw_api/tmdb/ts=" + ts();
  }

  public String requestLogPath() {
    return rawDir() + "/_requests.json";
  }

  /** The answer after retries, with its entry in the request log. */
  private record Fetched(ApiClient.Response response, ObjectNode entry) {}

  /** Fetches and logs the request; a final non-200 answer is kept under {@link #rawDir}. */
  private Fetched fetch(
      String name, String resource, Map<String, String> params, String base, List<String> written)
      throws IOException, InterruptedException {
    ObjectNode entry = requests.addObject();
    entry.put("list", name);
    ApiClient.Response r;
    try {
      r = api.get(resource, params);
    } catch (ApiClient.NetworkException e) {
      entry.put("url", redactor.redact(e.getMessage()).replaceFirst("^GET (\\S+).*$", "$1"));
      entry.put("attempts", e.attempts());
      entry.put("outcome", "network error");
      throw e;
    }
    entry.put("url", r.url());
    entry.put("status", r.status());
    entry.put("attempts", r.attempts());
    entry.put("bytes", r.body().length);
    if (!r.ok()) {
      // an error body is no data: any api_key= in it goes too (a proxy may echo its own)
      String file = rawDir() + "/" + base + ".http" + r.status() + ".json";
      files.write(file, redactor.redactAll(r.body()), "application/json");
      written.add(file);
      entry.put("file", file);
      entry.put("outcome", "refused");
    }
    return new Fetched(r, entry);
  }

  /**
   * Fetches the pages of {@code list} ({@link #ENDPOINTS}) into bronze. Throws {@link
   * StopException} (after keeping what was fetched) when the key is refused, IOException only when
   * bronze cannot be written.
   */
  public ListResult ingest(String list) throws IOException, InterruptedException, StopException {
    String folder = "raw_tmdb/shows/data_type=" + list + "/dt=" + dt() + "/";
    List<String> written = new ArrayList<>();
    int done = 0;
    int shows = 0;
    String failure = null;
    boolean stop = false;
    try {
      for (int page = 1; page <= pages; page++) {
        String base = String.format(Locale.ROOT, "%s-p%03d", list, page);
        Map<String, String> params = new LinkedHashMap<>();
        params.put("page", String.valueOf(page));
        Fetched f = fetch(list, ENDPOINTS.get(list), params, base, written);
        ApiClient.Response r = f.response();
        if (!r.ok()) {
          failure = refusal(list + " page " + page, r);
          stop = keyRefused(r);
          break;
        }
        String file = folder + base + ".json";
        f.entry().put("file", file);
        JsonNode body;
        try {
          body = listResponse(r.body(), "results");
        } catch (MalformedResponse e) {
          files.write(file, r.body(), "application/json");
          written.add(file);
          f.entry().put("outcome", "malformed, kept as is");
          failure =
              list
                  + " page "
                  + page
                  + " is not a well-formed list response ("
                  + e.getMessage()
                  + "); kept as "
                  + file
                  + ", where the run quarantines it";
          break;
        }
        files.write(file, withMetadata(r.body(), list), "application/json");
        written.add(file);
        f.entry().put("outcome", "written");
        done++;
        int results = body.get("results").size();
        shows += results;
        JsonNode total = body.path("total_pages");
        boolean last = results == 0 || (total.canConvertToInt() && page >= total.asInt());
        LOG.info("{}: page {}: {} shows{}", list, page, results, last ? ", last page" : "");
        if (last) {
          break;
        }
      }
    } catch (ApiClient.NetworkException e) {
      failure = list + ": " + redactor.redact(e.getMessage());
    }
    return result(list, failure, stop, shows, done, written);
  }

  /**
   * Fetches the TV genres into {@code raw_tmdb/genres/genres-<dt>.json}, unchanged. Throws as
   * {@link #ingest}.
   */
  public ListResult genres() throws IOException, InterruptedException, StopException {
    List<String> written = new ArrayList<>();
    String failure = null;
    boolean stop = false;
    int count = 0;
    int done = 0;
    try {
      Fetched f = fetch(GENRES, GENRES_ENDPOINT, Map.of(), GENRES, written);
      ApiClient.Response r = f.response();
      if (!r.ok()) {
        failure = refusal("the genre list", r);
        stop = keyRefused(r);
      } else {
        String file = "raw_tmdb/genres/genres-" + dt() + ".json";
        f.entry().put("file", file);
        files.write(file, r.body(), "application/json");
        written.add(file);
        try {
          count = listResponse(r.body(), "genres").get("genres").size();
          done = 1;
          f.entry().put("outcome", "written");
        } catch (MalformedResponse e) {
          f.entry().put("outcome", "malformed, kept as is");
          failure =
              "the genre list is not a well-formed answer ("
                  + e.getMessage()
                  + "); kept as "
                  + file
                  + ", where the run quarantines it";
        }
      }
    } catch (ApiClient.NetworkException e) {
      failure = "the genre list: " + redactor.redact(e.getMessage());
    }
    return result(GENRES, failure, stop, count, done, written);
  }

  private ListResult result(
      String name, String failure, boolean stop, int records, int pages, List<String> written)
      throws StopException {
    ListResult result =
        new ListResult(
            name,
            failure == null ? RegionResult.Status.OK : RegionResult.Status.FAILED,
            records,
            pages,
            List.copyOf(written),
            failure);
    if (failure != null) {
      LOG.warn("{}: {}", name, failure);
    }
    if (stop) {
      throw new StopException(result);
    }
    return result;
  }

  /** Writes the request log of the run so far ({@link #requestLogPath}). */
  public void writeRequestLog() throws IOException {
    ObjectNode root = PRETTY.createObjectNode();
    root.put("source", Source.TMDB.option());
    root.put("fetch_time", fetchTime());
    root.put("dt", dt());
    root.put("execution_id", executionId);
    root.set("requests", requests);
    files.write(requestLogPath(), PRETTY.writeValueAsBytes(root), "application/json");
  }

  /** HTTP 401 is TMDB's answer to a key that is invalid, suspended or not allowed. */
  private static boolean keyRefused(ApiClient.Response r) {
    return r.status() == 401;
  }

  private String refusal(String what, ApiClient.Response r) {
    String msg = redactor.redact(ApiError.parse(r.status(), r.body()).describe());
    if (keyRefused(r)) {
      return "the API key was refused ("
          + msg
          + "): check TMDB_API_KEY or the secret (a v3 API key, or the API Read Access Token)";
    }
    return what
        + " failed after "
        + r.attempts()
        + (r.attempts() == 1 ? " attempt" : " attempts")
        + ": "
        + msg;
  }

  /** A strict JSON object with an {@code array} array. */
  static JsonNode listResponse(byte[] body, String array) throws MalformedResponse {
    JsonNode root = AnswerJson.object(body);
    if (!root.path(array).isArray()) {
      throw new MalformedResponse("no " + array + " array");
    }
    return root;
  }

  /**
   * The answer (a JSON object, checked) with {@code "_metadata": {...}} added before its closing
   * brace: every byte TMDB sent stays where it was, so each show keeps its line.
   */
  byte[] withMetadata(byte[] answer, String list) throws IOException {
    int close = answer.length - 1;
    while (close >= 0 && answer[close] != '}') {
      close--; // only whitespace follows the object: it was read strictly
    }
    ObjectNode meta = JSON.createObjectNode();
    meta.put("ingestion_timestamp", fetchTime());
    meta.put("execution_id", executionId);
    meta.put("data_type", list);
    ByteArrayOutputStream out = new ByteArrayOutputStream(answer.length + 160);
    out.write(answer, 0, close);
    out.write(",\"_metadata\":".getBytes(StandardCharsets.UTF_8));
    out.write(JSON.writeValueAsBytes(meta));
    out.write(answer, close, answer.length - close);
    return out.toByteArray();
  }
}
