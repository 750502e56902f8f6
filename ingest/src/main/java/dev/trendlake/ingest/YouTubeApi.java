package dev.trendlake.ingest;

import io.github.resilience4j.retry.Retry;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
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

  private final HttpClient http;
  private final String baseUrl;
  private final String key;
  private final RetryPolicy policy;
  private final Duration timeout;
  private final Redactor redactor;

  public YouTubeApi(
      HttpClient http,
      String baseUrl,
      String key,
      RetryPolicy retry,
      Duration timeout,
      Redactor redactor) {
    this.http = http;
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.key = key;
    this.policy = retry;
    this.timeout = timeout;
    this.redactor = redactor;
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
    Retry retry =
        Retry.of(
            "GET " + resource,
            policy.<HttpResponse<byte[]>>config(
                YouTubeApi::transientAnswer, YouTubeApi::retryAfter));
    AtomicInteger attempts = new AtomicInteger();
    AtomicReference<String> problem = new AtomicReference<>();
    retry
        .getEventPublisher()
        .onRetry(
            e ->
                LOG.warn(
                    "GET {} {}; retry {} of {} in {} ms",
                    shown,
                    problem.get(),
                    e.getNumberOfRetryAttempts(),
                    policy.maxAttempts() - 1,
                    e.getWaitInterval().toMillis()));
    HttpResponse<byte[]> r;
    try {
      r =
          retry.executeCheckedSupplier(
              () -> {
                attempts.incrementAndGet();
                try {
                  HttpResponse<byte[]> answer =
                      http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                  problem.set("answered HTTP " + answer.statusCode());
                  return answer;
                } catch (IOException e) {
                  problem.set("failed: " + describe(e));
                  throw e;
                }
              });
    } catch (IOException e) {
      throw new NetworkException(
          "GET " + shown + " " + problem.get() + " (" + attempts.get() + " attempts)",
          attempts.get());
    } catch (InterruptedException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IOException("GET " + shown + " failed: " + t.getClass().getSimpleName(), t);
    }
    if (transientAnswer(r)) {
      LOG.warn(
          "GET {} answered HTTP {} on attempt {} of {}: giving up",
          shown,
          r.statusCode(),
          attempts.get(),
          policy.maxAttempts());
    }
    return new Response(shown, r.statusCode(), r.body(), attempts.get());
  }

  /** HTTP 429, 5xx and a 403 rate limit are worth another attempt; anything else is the answer. */
  private static boolean transientAnswer(HttpResponse<byte[]> r) {
    int status = r.statusCode();
    return status == 429
        || status >= 500
        || (status == 403 && ApiError.parse(status, r.body()).rateLimited());
  }

  private static Duration retryAfter(HttpResponse<byte[]> r) {
    return r.headers().firstValue("Retry-After").map(YouTubeApi::seconds).orElse(null);
  }

  private String describe(IOException e) {
    return redactor.redact(
        e.getMessage() == null
            ? e.getClass().getSimpleName()
            : e.getClass().getSimpleName() + ": " + e.getMessage());
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
