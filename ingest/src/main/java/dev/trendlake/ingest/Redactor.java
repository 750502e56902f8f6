package dev.trendlake.ingest;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes the API key from anything that may reach a log, an exception message or a file, in every
 * form a server or proxy may echo it: as is, URL-encoded (also twice, and character by character),
 * JSON-escaped ({@code \u0041}, {@code \/}), as HTML entities, and in UTF-16. The key travels as a
 * query parameter ({@code key} for YouTube, {@code api_key} for TMDB), so that parameter is also
 * replaced whatever its value (a proxy may add its own key), with {@code =} in any of those forms
 * ({@code %3D}, {@code \u003d}).
 *
 * <p>Two strengths: {@link #redact(String)} and {@link #redactAll(byte[])} replace both the key and
 * every value of the key's parameter, for messages, URLs and error bodies; {@link #redact(byte[])}
 * replaces only the key itself, for answers whose text is data (a video description may quote a URL
 * with its own {@code key=}, and bronze keeps it).
 */
public final class Redactor {
  public static final String REDACTED = "REDACTED";

  /**
   * The parameter {@code name} then {@code =} in any form, then the value up to a separator in any
   * form.
   */
  private static Pattern keyParam(String name) {
    return Pattern.compile(
        "((?<=^|[?&;,\\s\"'/{(]|%26|%3[fF]|%2526|\\\\u0026|\\\\u003[fF]|&amp;|&#38;)"
            + Pattern.quote(name)
            + "(?:=|%3[dD]|%253[dD]|\\\\u003[dD]|\\\\x3[dD]|&#61;|&#[xX]3[dD];))"
            + "(?:%(?!2[2367]|3[cCeE])[0-9A-Fa-f]{2}"
            + "|\\\\u(?!002[2367]|003[cCeE])[0-9A-Fa-f]{4}"
            + "|[^&#\\s\"'<>\\\\%\\x00])*");
  }

  private final Pattern key;
  private final Pattern param;

  /** For a key sent as the {@code key} query parameter (YouTube's). */
  public Redactor(String key) {
    this(key, Source.YOUTUBE.keyParam());
  }

  /** For a key sent as the query parameter {@code param}. */
  public Redactor(String key, String param) {
    this.key = key == null || key.isEmpty() ? null : anyEncoding(key);
    this.param = keyParam(param);
  }

  /**
   * The key with each character in any of its forms, optionally beside a NUL byte (UTF-16 read as
   * Latin-1).
   */
  private static Pattern anyEncoding(String key) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < key.length(); ) {
      int cp = key.codePointAt(i);
      i += Character.charCount(cp);
      String ch = new String(Character.toChars(cp));
      StringBuilder alt = new StringBuilder(Pattern.quote(ch));
      byte[] utf8 = ch.getBytes(StandardCharsets.UTF_8);
      if (utf8.length > 1) {
        alt.append('|').append(Pattern.quote(new String(utf8, StandardCharsets.ISO_8859_1)));
      }
      StringBuilder pct = new StringBuilder();
      StringBuilder pct2 = new StringBuilder();
      StringBuilder hexEsc = new StringBuilder();
      for (byte b : utf8) {
        String h = hex(b & 0xFF, 2);
        pct.append('%').append(h);
        pct2.append("%25").append(h);
        hexEsc.append("\\\\x").append(h);
      }
      alt.append('|').append(pct).append('|').append(pct2).append('|').append(hexEsc);
      for (char c : ch.toCharArray()) {
        alt.append("|\\\\u").append(hex(c, 4));
      }
      alt.append("|&#0*").append(cp).append(';').append("|&#[xX]0*").append(hex(cp, 0));
      alt.append(';');
      if (cp == '/') {
        alt.append("|\\\\/");
      }
      if (cp == ' ') {
        alt.append("|\\+");
      }
      re.append("\\x00?(?:").append(alt).append(")\\x00?");
    }
    return Pattern.compile(re.toString());
  }

  /** A hex number as a case-insensitive pattern, {@code width} digits (0: as many as it has). */
  private static String hex(int v, int width) {
    String h = Integer.toHexString(v).toUpperCase(Locale.ROOT);
    while (h.length() < width) {
      h = "0" + h;
    }
    StringBuilder re = new StringBuilder();
    for (char c : h.toCharArray()) {
      re.append(Character.isLetter(c) ? "[" + c + Character.toLowerCase(c) + "]" : c);
    }
    return re.toString();
  }

  /** {@code text} with the key and every value of the key's parameter replaced. */
  public String redact(String text) {
    return text == null ? null : replaceKey(param.matcher(text).replaceAll("$1" + REDACTED));
  }

  private String replaceKey(String s) {
    return key == null ? s : key.matcher(s).replaceAll(REDACTED);
  }

  /** True when {@code bytes} hold the key in any form. */
  public boolean leaks(byte[] bytes) {
    return key != null && key.matcher(latin1(bytes)).find();
  }

  /**
   * {@code bytes} unchanged unless they hold the key in some form, in which case a copy with it
   * replaced and every other byte as it was. Raw API responses are stored untouched; this is the
   * one exception, and it never happens with the responses Google sends today.
   */
  public byte[] redact(byte[] bytes) {
    if (!leaks(bytes)) {
      return bytes;
    }
    return replaceKey(latin1(bytes)).getBytes(StandardCharsets.ISO_8859_1);
  }

  /**
   * An error body: the key and every value of the key's parameter replaced, other bytes as they
   * were.
   */
  public byte[] redactAll(byte[] bytes) {
    String s = latin1(bytes);
    Matcher m = param.matcher(s);
    if (!m.find() && !leaks(bytes)) {
      return bytes;
    }
    return redact(s).getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Bytes as one char each, so that patterns see every byte and give each back unchanged. */
  private static String latin1(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }
}
