package dev.trendlake.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The error of a non-2xx API answer, read leniently from Google's error body ({@code
 * {"error":{"code":403,"message":"...","errors":[{"reason":"quotaExceeded"}]}}}) or TMDB's ({@code
 * {"success":false,"status_code":7,"status_message":"Invalid API key: ..."}}, whose code becomes
 * the reason {@code status_code=7}). A body that is neither still yields an ApiError, with its
 * first characters as the message.
 */
public record ApiError(int status, String message, List<String> reasons) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static ApiError parse(int status, byte[] body) {
    List<String> reasons = new ArrayList<>();
    String message = null;
    try {
      JsonNode root = JSON.readTree(body);
      JsonNode err = root.path("error");
      if (root.path("status_message").isTextual()) {
        message = root.path("status_message").asText();
        if (root.path("status_code").isIntegralNumber()) {
          reasons.add("status_code=" + root.path("status_code").asLong());
        }
      }
      if (err.isObject()) {
        message = err.path("message").isTextual() ? err.path("message").asText() : null;
        for (JsonNode e : err.path("errors")) {
          if (e.path("reason").isTextual()) {
            reasons.add(e.path("reason").asText());
          }
        }
        if (err.path("status").isTextual() && reasons.isEmpty()) {
          reasons.add(err.path("status").asText());
        }
      }
    } catch (Exception e) {
      // not JSON: fall through to the raw text
    }
    if (message == null) {
      String text = new String(body, StandardCharsets.UTF_8).strip();
      message = text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
    return new ApiError(status, message.replaceAll("<[^>]+>", ""), List.copyOf(reasons));
  }

  public boolean has(String reason) {
    return reasons.contains(reason);
  }

  /** The daily quota is spent: nothing will succeed before it resets. */
  public boolean quotaExceeded() {
    return status == 403 && (has("quotaExceeded") || has("dailyLimitExceeded"));
  }

  /** A short-term rate limit: worth retrying like a 429. */
  public boolean rateLimited() {
    return status == 403 && (has("rateLimitExceeded") || has("userRateLimitExceeded"));
  }

  /** The key itself is refused: every other request would fail the same way. */
  public boolean keyRejected() {
    return (status == 400
            && (has("keyInvalid") || has("keyExpired") || message.contains("API key not valid")))
        || (status == 403
            && (has("accessNotConfigured") || has("ipRefererBlocked") || has("keyInvalid")));
  }

  /** For messages: {@code HTTP 403 quotaExceeded: The request cannot be completed ...}. */
  public String describe() {
    return "HTTP "
        + status
        + (reasons.isEmpty() ? "" : " " + String.join(",", reasons))
        + ": "
        + message;
  }
}
