package dev.trendlake.ingest;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.StringJoiner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GET requests to the YouTube Data API v3 with the key as the {@code key} query parameter, retried
 * per {@link RetryPolicy} on HTTP 429, 5xx, a 403 rate limit and network errors. Every URL and
 * message this class logs, returns or throws is redacted; the key exists only in the request it
 * sends.
 */
public final class YouTubeApi {
  private static final Logger LOG = LoggerFactory.getLogger(YouTubeApi.class);

  /** One answer, after retries: the last status and body, and how many attempts it took. */
  public record Response(String url, int status, byte[] body, int attempts) {
    public boolean ok() {
      return status == 200;
    }
  }

  /** The request failed on the network on every attempt; the message is redacted. */
  public static final class NetworkException extends IOException {
    private final int attempts;

    NetworkException(String message, int attempts) {
      super(message);
      this.attempts = attempts;
    }

    public int attempts() {
      return attempts;
    }
  }

  /** Waits between attempts; tests may count instead of sleeping. */
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private final HttpClient http;
  private final String baseUrl;
  private final String key;
  private final RetryPolicy retry;
  private final Duration timeout;
  private final Redactor redactor;
  private final Sleeper sleeper;
  private final Random random = new Random();

  public YouTubeApi(
      HttpClient http,
      String baseUrl,
      String key,
      RetryPolicy retry,
      Duration timeout,
      Redactor redactor,
      Sleeper sleeper) {
    this.http = http;
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.key = key;
    this.retry = retry;
    this.timeout = timeout;
    this.redactor = redactor;
    this.sleeper = sleeper;
  }

  /** {@code resource} is {@code videos} or {@code videoCategories}; params in the order given. */
  public Response get(String resource, Map<String, String> params)
      throws IOException, InterruptedException {
    StringJoiner q = new StringJoiner("&");
    for (Map.Entry<String, String> e : params.entrySet()) {
      q.add(enc(e.getKey()) + "=" + enc(e.getValue()));
    }
    q.add("key=" + enc(key));
    URI uri = URI.create(baseUrl + "/" + resource + "?" + q);
    String shown = redactor.redact(uri.toString());
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Accept", "application/json")
            .GET()
            .build();
    for (int attempt = 1; ; attempt++) {
      String problem;
      Duration retryAfter = null;
      try {
        HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        int status = r.statusCode();
        boolean transient_ =
            status == 429
                || status >= 500
                || (status == 403 && ApiError.parse(status, r.body()).rateLimited());
        if (!transient_ || attempt >= retry.maxAttempts()) {
          if (transient_) {
            LOG.warn(
                "GET {} answered HTTP {} on attempt {} of {}: giving up",
                shown,
                status,
                attempt,
                retry.maxAttempts());
          }
          return new Response(shown, status, r.body(), attempt);
        }
        problem = "answered HTTP " + status;
        retryAfter = r.headers().firstValue("Retry-After").map(YouTubeApi::seconds).orElse(null);
      } catch (IOException e) {
        problem =
            "failed: "
                + redactor.redact(
                    String.valueOf(
                        e.getMessage() == null
                            ? e.getClass().getSimpleName()
                            : e.getClass().getSimpleName() + ": " + e.getMessage()));
        if (attempt >= retry.maxAttempts()) {
          throw new NetworkException(
              "GET " + shown + " " + problem + " (" + attempt + " attempts)", attempt);
        }
      }
      Duration wait = retry.delay(attempt, retryAfter, random);
      LOG.warn(
          "GET {} {}; retry {} of {} in {} ms",
          shown,
          problem,
          attempt,
          retry.maxAttempts() - 1,
          wait.toMillis());
      sleeper.sleep(wait);
    }
  }

  private static Duration seconds(String v) {
    try {
      return Duration.ofSeconds(Long.parseLong(v.strip()));
    } catch (NumberFormatException e) {
      return null; // an HTTP date: fall back to our own backoff
    }
  }

  private static String enc(String s) {
    // commas are legal in a query and keep part=snippet,statistics readable in logs
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("%2C", ",");
  }
}
