package dev.trendlake.pipeline.warehouse;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Keeps secrets out of text that leaves the process. Every password this JVM resolves is remembered
 * here (in memory only) and replaced by {@code ****} in any message built by the warehouse code;
 * JDBC URLs are shown without their query string or user info.
 */
public final class Secrets {
  private Secrets() {}

  private static final Set<String> KNOWN = ConcurrentHashMap.newKeySet();
  private static final Pattern URL_PASSWORD =
      Pattern.compile("(?i)(password|pwd|secret)=[^&;\\s]*");

  static void remember(String secret) {
    if (secret != null && secret.length() >= 3) {
      KNOWN.add(secret);
    }
  }

  /** The text with every known password and any {@code password=...} pair masked. */
  public static String scrub(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String s : KNOWN) {
      out = out.replace(s, "****");
    }
    return URL_PASSWORD.matcher(out).replaceAll("$1=****");
  }

  /** {@code jdbc:postgresql://host:port/db}: no user info, no query string. */
  public static String displayUrl(String jdbcUrl) {
    if (jdbcUrl == null) {
      return null;
    }
    String u = jdbcUrl;
    int q = u.indexOf('?');
    if (q >= 0) {
      u = u.substring(0, q);
    }
    int scheme = u.indexOf("://");
    int at = u.indexOf('@');
    if (scheme >= 0 && at > scheme) {
      u = u.substring(0, scheme + 3) + u.substring(at + 1);
    }
    return u;
  }
}
