package dev.trendlake.ingest;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/**
 * An API's 200 answer read strictly: one JSON object and nothing after it. Each source then checks
 * the fields it needs; an answer that fails either is kept and reported, never converted.
 */
final class AnswerJson {
  private AnswerJson() {}

  /** A 200 answer that is not the JSON it should be. */
  static final class MalformedResponse extends Exception {
    MalformedResponse(String message) {
      super(message);
    }
  }

  private static final ObjectMapper STRICT =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  /** The object {@code body} holds, or why it holds none. */
  static JsonNode object(byte[] body) throws MalformedResponse {
    JsonNode root;
    try {
      root = STRICT.readTree(body);
    } catch (IOException e) {
      String m = String.valueOf(e.getMessage());
      int cut = m.indexOf('\n');
      throw new MalformedResponse("invalid JSON: " + (cut > 0 ? m.substring(0, cut) : m));
    }
    if (root == null || !root.isObject()) {
      throw new MalformedResponse(body.length == 0 ? "empty body" : "not a JSON object");
    }
    return root;
  }
}
