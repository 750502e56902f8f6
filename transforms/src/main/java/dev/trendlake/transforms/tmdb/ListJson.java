package dev.trendlake.transforms.tmdb;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a TMDB response, a JSON object holding one array of records ({@code results} of a list,
 * {@code genres} of the genre list) and other fields, streaming, so each record keeps the line it
 * starts on and its own bytes for quarantine. The whole document is read before anything is used: a
 * file cut off or broken anywhere is one malformed file, never half of its records.
 */
final class ListJson {
  private ListJson() {}

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** One record of the array: the line it starts on (counted from one), its bytes, its value. */
  record Item(long line, byte[] raw, JsonNode value) {}

  /**
   * The document: its records and its other top-level fields, or why it is not such a response
   * ({@code problem} set, nothing else).
   */
  record Doc(List<Item> items, Map<String, JsonNode> fields, String problem) {
    static Doc bad(String problem) {
      return new Doc(List.of(), Map.of(), problem);
    }
  }

  static Doc parse(byte[] bytes, String arrayField, String what) {
    List<Item> items = new ArrayList<>();
    Map<String, JsonNode> fields = new LinkedHashMap<>();
    boolean sawArray = false;
    try (JsonParser p = MAPPER.createParser(bytes)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return Doc.bad("the file is not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        if (!arrayField.equals(name)) {
          fields.put(name, p.readValueAsTree());
          continue;
        }
        if (t != JsonToken.START_ARRAY) {
          return Doc.bad("\"" + arrayField + "\" is not an array: not " + what);
        }
        sawArray = true;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          long line = p.currentTokenLocation().getLineNr();
          int start = (int) p.currentTokenLocation().getByteOffset();
          JsonNode item = p.readValueAsTree();
          int end = (int) p.currentLocation().getByteOffset();
          byte[] raw =
              Arrays.copyOfRange(
                  bytes, Math.max(0, start), Math.min(bytes.length, Math.max(start, end)));
          items.add(new Item(line, raw, item));
        }
      }
      if (p.nextToken() != null) {
        return Doc.bad("content after the end of the JSON object");
      }
    } catch (JsonParseException e) {
      return Doc.bad(
          "invalid JSON at line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr()
              + ": "
              + e.getOriginalMessage());
    } catch (IOException e) {
      return Doc.bad("invalid JSON: " + e.getMessage());
    }
    if (!sawArray) {
      return Doc.bad("no \"" + arrayField + "\" array: not " + what);
    }
    return new Doc(items, fields, null);
  }

  /** The most bytes of a whole file quarantine keeps, as for YouTube's category files. */
  private static final int MAX_RAW = 1 << 20;

  /** A whole file as quarantine keeps it: its bytes, cut at {@link #MAX_RAW}. */
  static byte[] rawOfFile(byte[] bytes) {
    return bytes.length > MAX_RAW ? Arrays.copyOf(bytes, MAX_RAW) : bytes;
  }
}
