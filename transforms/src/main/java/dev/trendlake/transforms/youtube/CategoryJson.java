package dev.trendlake.transforms.youtube;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trendlake.transforms.model.Reason;
import dev.trendlake.transforms.model.Rejected;
import dev.trendlake.transforms.row.Row;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a YouTube {@code videoCategories.list} response: {@code items[].id} (a string holding an
 * integer), {@code items[].snippet.title}, {@code .assignable}, {@code .channelId}. Streams the
 * document so each item keeps the line it starts on and its own bytes for quarantine. A UTF-8 BOM
 * and CRLF line ends are fine.
 *
 * <p>The file must be UTF-8, as JSON exchanged between systems must be (RFC 8259): one in UTF-16 or
 * UTF-32 (a Windows editor's "Unicode"), or holding bytes that are no UTF-8, is quarantined whole
 * as {@link Reason#INVALID_ENCODING} with what it looks like and how to fix it, checked before
 * parsing, because item offsets are byte offsets only in UTF-8 and an item's raw bytes are cut by
 * them.
 */
public final class CategoryJson {
  private CategoryJson() {}

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int MAX_RAW = 1 << 20;

  /** What one file gave: its categories, its rejected items, and how many items it held. */
  public record Result(List<Row> categories, List<Rejected> rejected, long records) {}

  public static Result parse(String sourceFile, String region, byte[] bytes) {
    List<Row> ok = new ArrayList<>();
    List<Rejected> bad = new ArrayList<>();
    String reg = region == null ? "unknown" : region;
    long items = 0;
    String encoding = Utf8Check.problem(bytes);
    if (encoding != null) {
      return wholeFile(
          sourceFile,
          reg,
          bytes,
          Reason.INVALID_ENCODING,
          encoding + "; category JSON must be UTF-8: re-save it as UTF-8");
    }
    try (JsonParser p = MAPPER.createParser(bytes)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return wholeFile(
            sourceFile, reg, bytes, Reason.MALFORMED_JSON, "the file is not a JSON object");
      }
      boolean sawItems = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        if (!"items".equals(name)) {
          p.skipChildren();
          continue;
        }
        if (t != JsonToken.START_ARRAY) {
          return wholeFile(
              sourceFile, reg, bytes, Reason.MALFORMED_JSON, "\"items\" is not an array");
        }
        sawItems = true;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          items++;
          long line = p.currentTokenLocation().getLineNr();
          int start = (int) p.currentTokenLocation().getByteOffset();
          JsonNode item = p.readValueAsTree();
          int end = (int) p.currentLocation().getByteOffset();
          byte[] raw =
              Arrays.copyOfRange(
                  bytes, Math.max(0, start), Math.min(bytes.length, Math.max(start, end)));
          String problem = null;
          Long id = null;
          if (region == null) {
            problem = "no region=<xx> folder and no <XX>_category_id.json name in " + sourceFile;
          } else if (!item.isObject()) {
            problem = "item is not an object";
          } else {
            JsonNode idNode = item.get("id");
            String idText = idNode == null || idNode.isNull() ? null : idNode.asText();
            id = StatisticsRules.integer(idText);
            if (id == null) {
              problem = "id " + StatisticsRules.quote(idText) + " is not an integer";
            } else if (!item.path("snippet").path("title").isTextual()) {
              problem = "item " + id + " has no snippet.title";
            }
          }
          if (problem != null) {
            bad.add(
                new Rejected(
                    Rejected.CATEGORIES,
                    reg,
                    sourceFile,
                    line,
                    Reason.INVALID_CATEGORY,
                    problem,
                    raw));
            continue;
          }
          JsonNode snippet = item.path("snippet");
          JsonNode assignable = snippet.get("assignable");
          JsonNode channel = snippet.get("channelId");
          ok.add(
              CategoryColumns.of(
                  region,
                  id,
                  snippet.get("title").asText(),
                  assignable == null || !assignable.isBoolean() ? null : assignable.asBoolean(),
                  channel == null || channel.isNull() ? null : channel.asText(),
                  sourceFile));
        }
      }
      if (!sawItems) {
        return wholeFile(
            sourceFile,
            reg,
            bytes,
            Reason.MALFORMED_JSON,
            "no \"items\" array: not a videoCategories.list response");
      }
    } catch (JsonParseException e) {
      return wholeFile(
          sourceFile,
          reg,
          bytes,
          Reason.MALFORMED_JSON,
          "invalid JSON at line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr()
              + ": "
              + e.getOriginalMessage());
    } catch (IOException e) {
      return wholeFile(
          sourceFile, reg, bytes, Reason.MALFORMED_JSON, "invalid JSON: " + e.getMessage());
    }
    return new Result(ok, bad, items);
  }

  private static Result wholeFile(
      String sourceFile, String region, byte[] bytes, Reason reason, String detail) {
    byte[] raw = bytes.length > MAX_RAW ? Arrays.copyOf(bytes, MAX_RAW) : bytes;
    return new Result(
        List.of(),
        List.of(new Rejected(Rejected.CATEGORIES, region, sourceFile, 1, reason, detail, raw)),
        1);
  }
}
