package dev.trendlake.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trendlake.ingest.AnswerJson.MalformedResponse;
import java.io.IOException;
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
 * Fetches one region's most popular videos and its video categories and lands them in bronze, for
 * one fetch time T shared by every region of a run ({@code ts} = T as {@code yyyyMMddHHmm}):
 *
 * <pre>
 * raw_api/region=xx/ts=ts/videos-p001.json ...       every answer, byte for byte, in fetch order
 * raw_api/region=xx/ts=ts/videos-p002.http500.json    (a final non-200 answer names its status)
 * raw_api/region=xx/ts=ts/videoCategories.json
 * raw_api/region=xx/ts=ts/_requests.json              per request: redacted URL, status,
 *                                                     attempts, file
 * raw_statistics/region=xx/ts=ts/xx_ts.csv            the converted pages ({@link StatisticsCsv})
 * raw_statistics_reference_data/region=xx/XX_category_id.json   the categories answer, unchanged
 * </pre>
 *
 * Raw answers are written before they are parsed, so even a malformed one is kept for audit; a page
 * that is not a well-formed {@code videos.list} answer is reported and never converted, and paging
 * stops there. The CSV holds the well-formed pages fetched before any failure.
 */
public final class YouTubeIngest {
  private static final Logger LOG = LoggerFactory.getLogger(YouTubeIngest.class);
  static final DateTimeFormatter TS =
      DateTimeFormatter.ofPattern("yyyyMMddHHmm", Locale.ROOT).withZone(ZoneOffset.UTC);
  static final int PAGE_SIZE = 50;

  /** The API refused in a way that will not change for the other regions: the run stops. */
  public static final class StopException extends Exception {
    private final RegionResult result;

    StopException(RegionResult result) {
      super(result.message());
      this.result = result;
    }

    public RegionResult result() {
      return result;
    }
  }

  private static final ObjectMapper PRETTY =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final ApiClient api;
  private final BronzeFiles files;
  private final Redactor redactor;
  private final int maxVideos;
  private final Instant fetchTime;
  private final QuotaClock quotaClock;

  /** Tells when the daily quota resets, from the moment it ran out. */
  public interface QuotaClock {
    String resetMessage();
  }

  public YouTubeIngest(
      ApiClient api,
      BronzeFiles files,
      Redactor redactor,
      int maxVideos,
      Instant fetchTime,
      QuotaClock quotaClock) {
    this.api = api;
    this.files = files;
    this.redactor = redactor;
    this.maxVideos = maxVideos;
    this.fetchTime = fetchTime.truncatedTo(ChronoUnit.SECONDS);
    this.quotaClock = quotaClock;
  }

  public String ts() {
    return TS.format(fetchTime);
  }

  /** T as written to {@code trending_date}. */
  public String trendingDate() {
    return DateTimeFormatter.ISO_INSTANT.format(fetchTime);
  }

  /** Per-region state while it is fetched. */
  private final class Run {
    final String region;
    final String rawDir;
    final List<String> written = new ArrayList<>();
    final ArrayNode requests = PRETTY.createArrayNode();
    final List<JsonNode> items = new ArrayList<>();
    int pages;
    int categories = -1;

    Run(String region) {
      this.region = region;
      this.rawDir = "raw_api/region=" + region + "/ts=" + ts();
    }

    /** Fetches, keeps the raw answer and logs the request; null when the network failed. */
    ApiClient.Response fetch(String resource, Map<String, String> params, String baseName)
        throws IOException, InterruptedException {
      ApiClient.Response r;
      try {
        r = api.get(resource, params);
      } catch (ApiClient.NetworkException e) {
        ObjectNode req = requests.addObject();
        req.put("url", redactor.redact(e.getMessage()).replaceFirst("^GET (\\S+).*$", "$1"));
        req.put("attempts", e.attempts());
        req.put("outcome", "network error");
        throw e;
      }
      String name = r.ok() ? baseName + ".json" : baseName + ".http" + r.status() + ".json";
      // an error body is no data: any key= in it goes too (a proxy may echo its own)
      write(
          rawDir + "/" + name,
          r.ok() ? r.body() : redactor.redactAll(r.body()),
          "application/json");
      ObjectNode req = requests.addObject();
      req.put("url", r.url());
      req.put("status", r.status());
      req.put("attempts", r.attempts());
      req.put("file", name);
      req.put("bytes", r.body().length);
      return r;
    }

    void outcome(String outcome) {
      ((ObjectNode) requests.get(requests.size() - 1)).put("outcome", outcome);
    }

    /** Writes a file through {@link BronzeFiles}, which keeps the key out of it. */
    void write(String relative, byte[] bytes, String mime) throws IOException {
      files.write(relative, bytes, mime);
      written.add(relative);
    }
  }

  /**
   * Ingests one region ({@code region}: two lower-case letters). Returns its result, or throws
   * {@link StopException} (after keeping what was fetched) when the quota is spent or the key is
   * refused. Throws IOException only when bronze cannot be written.
   */
  public RegionResult ingest(String region)
      throws IOException, InterruptedException, StopException {
    Run run = new Run(region);
    String code = region.toUpperCase(Locale.ROOT);
    String failure = null;
    RegionResult.Status failStatus = RegionResult.Status.FAILED;
    boolean stop = false;
    String token = null;
    try {
      while (run.items.size() < maxVideos) {
        int page = run.pages + 1;
        Map<String, String> params = new LinkedHashMap<>();
        params.put("part", "snippet,statistics,contentDetails");
        params.put("chart", "mostPopular");
        params.put("regionCode", code);
        params.put("maxResults", String.valueOf(Math.min(PAGE_SIZE, maxVideos - run.items.size())));
        if (token != null) {
          params.put("pageToken", token);
        }
        String base = String.format(Locale.ROOT, "videos-p%03d", page);
        ApiClient.Response r = run.fetch("videos", params, base);
        if (!r.ok()) {
          ApiError err = ApiError.parse(r.status(), r.body());
          failure = refusal(code, "videos.list page " + page, err, r);
          run.outcome("refused");
          if (err.quotaExceeded()) {
            failStatus = RegionResult.Status.QUOTA_EXCEEDED;
            stop = true;
          } else if (err.keyRejected()) {
            stop = true;
          }
          break;
        }
        JsonNode body;
        try {
          body = parse(r.body(), "youtube#videoListResponse");
        } catch (MalformedResponse e) {
          run.outcome("malformed, not converted");
          failure =
              "videos.list page "
                  + page
                  + " for region "
                  + code
                  + " is not a well-formed answer ("
                  + e.getMessage()
                  + "); kept as "
                  + run.rawDir
                  + "/"
                  + base
                  + ".json and not converted";
          break;
        }
        run.outcome("converted");
        run.pages++;
        for (JsonNode item : body.get("items")) {
          if (run.items.size() < maxVideos) {
            run.items.add(item);
          }
        }
        token = body.path("nextPageToken").isTextual() ? body.path("nextPageToken").asText() : null;
        LOG.info(
            "{}: videos.list page {}: {} videos{}",
            code,
            page,
            body.get("items").size(),
            token == null ? ", last page" : "");
        if (token == null || token.isEmpty() || body.get("items").isEmpty()) {
          break;
        }
      }
      if (!stop && failure == null) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("part", "snippet");
        params.put("regionCode", code);
        ApiClient.Response r = run.fetch("videoCategories", params, "videoCategories");
        if (!r.ok()) {
          ApiError err = ApiError.parse(r.status(), r.body());
          failure = refusal(code, "videoCategories.list", err, r);
          run.outcome("refused");
          if (err.quotaExceeded()) {
            failStatus = RegionResult.Status.QUOTA_EXCEEDED;
            stop = true;
          } else if (err.keyRejected()) {
            stop = true;
          }
        } else {
          try {
            JsonNode body = parse(r.body(), "youtube#videoCategoryListResponse");
            run.write(
                "raw_statistics_reference_data/region=" + region + "/" + code + "_category_id.json",
                r.body(),
                "application/json");
            run.categories = body.get("items").size();
            run.outcome("converted");
          } catch (MalformedResponse e) {
            run.outcome("malformed, not converted");
            failure =
                "videoCategories.list for region "
                    + code
                    + " is not a well-formed answer ("
                    + e.getMessage()
                    + "); kept as "
                    + run.rawDir
                    + "/videoCategories.json and not converted";
          }
        }
      }
    } catch (ApiClient.NetworkException e) {
      failure = "region " + code + ": " + redactor.redact(e.getMessage());
    }
    if (!run.items.isEmpty()) {
      String csv =
          "raw_statistics/region=" + region + "/ts=" + ts() + "/" + region + "_" + ts() + ".csv";
      run.write(csv, StatisticsCsv.toCsv(run.items, trendingDate()), "text/csv");
    }
    run.write(
        run.rawDir + "/_requests.json",
        PRETTY.writeValueAsBytes(requestLog(run)),
        "application/json");
    RegionResult result =
        new RegionResult(
            region,
            failure == null ? RegionResult.Status.OK : failStatus,
            run.items.size(),
            run.pages,
            run.categories,
            List.copyOf(run.written),
            failure);
    if (failure != null) {
      LOG.warn("{}: {}", code, failure);
    }
    if (stop) {
      throw new StopException(result);
    }
    return result;
  }

  private ObjectNode requestLog(Run run) {
    ObjectNode root = PRETTY.createObjectNode();
    root.put("region", run.region);
    root.put("fetch_time", trendingDate());
    root.put("ts", ts());
    root.set("requests", run.requests);
    return root;
  }

  private String refusal(String code, String what, ApiError err, ApiClient.Response r) {
    String msg = redactor.redact(err.describe());
    if (err.quotaExceeded()) {
      return "the YouTube Data API daily quota is exceeded ("
          + msg
          + ") at "
          + what
          + " for region "
          + code
          + ". "
          + quotaClock.resetMessage();
    }
    if (err.keyRejected()) {
      return "the API key was refused ("
          + msg
          + "): check YOUTUBE_API_KEY or the secret, and that the YouTube Data API v3 "
          + "is enabled for its project";
    }
    String prefix =
        r.status() == 400 ? "the API rejected region " + code : "region " + code + " failed";
    return prefix
        + " at "
        + what
        + " after "
        + r.attempts()
        + (r.attempts() == 1 ? " attempt" : " attempts")
        + ": "
        + msg;
  }

  /**
   * Strict JSON (no trailing bytes), an object of the expected kind with an items array of objects
   * with ids.
   */
  static JsonNode parse(byte[] body, String kind) throws MalformedResponse {
    JsonNode root = AnswerJson.object(body);
    if (root.has("kind") && !kind.equals(root.path("kind").asText())) {
      throw new MalformedResponse("kind is " + root.path("kind") + ", expected " + kind);
    }
    JsonNode items = root.get("items");
    if (items == null || !items.isArray()) {
      throw new MalformedResponse("no items array");
    }
    for (int i = 0; i < items.size(); i++) {
      JsonNode it = items.get(i);
      if (!it.isObject() || !it.path("id").isTextual() || it.path("id").asText().isEmpty()) {
        throw new MalformedResponse("item " + (i + 1) + " has no id");
      }
    }
    return root;
  }
}
