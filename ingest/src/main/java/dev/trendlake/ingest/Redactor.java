package dev.trendlake.ingest;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Removes the API key from anything that may reach a log, an exception message or a file. The key
 * travels as the {@code key} query parameter, so every URL is shown as {@code key=REDACTED}; the
 * literal key (plain or URL-encoded) is replaced wherever else it might appear, e.g. in an error
 * body that echoes the request.
 */
public final class Redactor {
  public static final String REDACTED = "REDACTED";
  private static final Pattern KEY_PARAM = Pattern.compile("([?&]key=)[^&#\\s\"'<>]*");

  private final String key;
  private final String encodedKey;

  public Redactor(String key) {
    this.key = key == null || key.isEmpty() ? null : key;
    this.encodedKey = this.key == null ? null : URLEncoder.encode(this.key, StandardCharsets.UTF_8);
  }

  /** {@code text} with every key parameter and every occurrence of the key replaced. */
  public String redact(String text) {
    if (text == null) {
      return null;
    }
    String s = KEY_PARAM.matcher(text).replaceAll("$1" + REDACTED);
    if (key != null) {
      s = s.replace(key, REDACTED);
      if (!encodedKey.equals(key)) {
        s = s.replace(encodedKey, REDACTED);
      }
    }
    return s;
  }

  /** True when {@code bytes} hold the key (plain or URL-encoded). */
  public boolean leaks(byte[] bytes) {
    if (key == null) {
      return false;
    }
    String s = new String(bytes, StandardCharsets.ISO_8859_1);
    return s.contains(new String(key.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1))
        || s.contains(encodedKey);
  }

  /**
   * {@code bytes} unchanged unless they hold the key, in which case a copy with the key replaced.
   * Raw API responses are stored untouched; this is the one exception, and it never happens with
   * the responses Google sends today.
   */
  public byte[] redact(byte[] bytes) {
    if (!leaks(bytes)) {
      return bytes;
    }
    return redact(new String(bytes, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
  }
}
