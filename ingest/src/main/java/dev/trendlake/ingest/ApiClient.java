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
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GET requests to a JSON API (the YouTube Data API v3, TMDB's API v3) with the key in a query
 * parameter or as a bearer token ({@link Credential}), retried per {@link RetryPolicy} on network
 * errors and on the answers the API calls transient (HTTP 429 and 5xx for both; YouTube adds a 403
 * rate limit). Every URL and message this class logs, returns or throws is redacted; the key exists
 * only in the request it sends.
 */
public final class ApiClient {
  private static final Logger LOG = LoggerFactory.getLogger(ApiClient.class);

  /**
   * How the key travels: as the query parameter {@code param}, or, with {@code param} null, in an
   * {@code Authorization: Bearer} header.
   */
  public record Credential(String param, String key) {
    public static Credential query(String param, String key) {
      return new Credential(param, key);
    }

    public static Credential bearer(String token) {
      return new Credential(null, token);
    }

    /** Never the key: a record's default would print it. */
    @Override
    public String toString() {
      return param == null ? "Credential[bearer]" : "Credential[" + param + "]";
    }
  }

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
  private final Credential credential;
  private final RetryPolicy policy;
  private final Predicate<HttpResponse<byte[]>> transientAnswer;
  private final Duration timeout;
  private final Redactor redactor;

  /**
   * @param transientAnswer the answers worth another attempt ({@link #throttledOrServerError} or
   *     more)
   */
  public ApiClient(
      HttpClient http,
      String baseUrl,
      Credential credential,
      RetryPolicy retry,
      Predicate<HttpResponse<byte[]>> transientAnswer,
      Duration timeout,
      Redactor redactor) {
    this.http = http;
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.credential = credential;
    this.policy = retry;
    this.transientAnswer = transientAnswer;
    this.timeout = timeout;
    this.redactor = redactor;
  }

  /**
   * GETs {@code resource} (a path below the base URL: {@code videos}, {@code tv/popular}) with
   * {@code params} in the order given.
   */
  public Response get(String resource, Map<String, String> params)
      throws IOException, InterruptedException {
    StringJoiner q = new StringJoiner("&");
    for (Map.Entry<String, String> e : params.entrySet()) {
      q.add(enc(e.getKey()) + "=" + enc(e.getValue()));
    }
    if (credential.param() != null) {
      q.add(enc(credential.param()) + "=" + enc(credential.key()));
    }
    URI uri = URI.create(baseUrl + "/" + resource + (q.length() == 0 ? "" : "?" + q));
    String shown = redactor.redact(uri.toString());
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET();
    if (credential.param() == null) {
      b.header("Authorization", "Bearer " + credential.key());
    }
    HttpRequest request = b.build();
    Retry retry =
        Retry.of(
            "GET " + resource,
            policy.<HttpResponse<byte[]>>config(transientAnswer, ApiClient::retryAfter));
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
    if (transientAnswer.test(r)) {
      LOG.warn(
          "GET {} answered HTTP {} on attempt {} of {}: giving up",
          shown,
          r.statusCode(),
          attempts.get(),
          policy.maxAttempts());
    }
    return new Response(shown, r.statusCode(), r.body(), attempts.get());
  }

  /** HTTP 429 (too many requests) and 5xx: worth another attempt with every API. */
  public static boolean throttledOrServerError(HttpResponse<byte[]> r) {
    return r.statusCode() == 429 || r.statusCode() >= 500;
  }

  /** YouTube's: also a 403 whose reason is a short-term rate limit. */
  public static boolean youTubeTransient(HttpResponse<byte[]> r) {
    return throttledOrServerError(r)
        || (r.statusCode() == 403 && ApiError.parse(r.statusCode(), r.body()).rateLimited());
  }

  private static Duration retryAfter(HttpResponse<byte[]> r) {
    return r.headers().firstValue("Retry-After").map(ApiClient::seconds).orElse(null);
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
