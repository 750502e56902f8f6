package dev.trendlake.pipeline.warehouse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The channel's surrogate key: the first 60 bits (15 hex digits) of SHA-256 over {@code
 * "id:"+channel_id}, or {@code "title:"+channel_title} where the layout has no channel id. A hash
 * and not a sequence, so every worker computes it alone, every run and every runner gives the same
 * key, and SQL (Redshift's SHA2, for COPY loads) computes the same value as Java.
 */
public final class ChannelKey {
  private ChannelKey() {}

  public static long of(String channelId, String channelTitle) {
    String basis =
        channelId != null && !channelId.isEmpty()
            ? "id:" + channelId
            : "title:" + (channelTitle == null ? "" : channelTitle);
    return Long.parseLong(sha256Hex(basis).substring(0, 15), 16);
  }

  /** {@link #of} in Redshift SQL, over the two columns named. */
  static String redshiftSql(String idCol, String titleCol) {
    return "STRTOL(LEFT(SHA2(CASE WHEN "
        + idCol
        + " IS NOT NULL AND "
        + idCol
        + " <> '' THEN 'id:' || "
        + idCol
        + " ELSE 'title:' || COALESCE("
        + titleCol
        + ", '') END, 256), 15), 16)";
  }

  static String sha256Hex(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
