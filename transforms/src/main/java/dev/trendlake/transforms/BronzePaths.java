package dev.trendlake.transforms;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * Where a bronze file's region comes from, and how its path is shown. Paths are kept relative to
 * the bronze root, so the same input gives the same lineage whether it was read from a local folder
 * or from {@code s3://}.
 */
public final class BronzePaths {
  private BronzePaths() {}

  private static final Pattern REGION_VALUE = Pattern.compile("[a-z0-9_-]{1,16}");
  private static final Pattern CATEGORY_FILE =
      Pattern.compile("([A-Za-z]{2,3})_category_id\\.json", Pattern.CASE_INSENSITIVE);

  /** {@code path} relative to {@code root} when it lies under it, else {@code path} unchanged. */
  public static String relativize(String root, String path) {
    String r = root.endsWith("/") ? root : root + "/";
    if (path.startsWith(r)) {
      return path.substring(r.length());
    }
    if (path.startsWith("file:" + r)) {
      return path.substring(r.length() + 5);
    }
    return path;
  }

  /**
   * The value of the nearest {@code region=<xx>} folder (case-insensitive, lower-cased), or null
   * when no folder names a usable region.
   */
  public static String regionFromFolders(String path) {
    String[] parts = path.split("/");
    for (int i = parts.length - 2; i >= 0; i--) {
      String p = parts[i];
      if (p.length() > 7 && p.regionMatches(true, 0, "region=", 0, 7)) {
        String v = p.substring(7).toLowerCase(Locale.ROOT);
        return REGION_VALUE.matcher(v).matches() ? v : null;
      }
    }
    return null;
  }

  /** A category file's region: its {@code region=} folder if any, else the file name prefix. */
  public static String categoryRegion(String path) {
    String folder = regionFromFolders(path);
    if (folder != null) {
      return folder;
    }
    String name = path.substring(path.lastIndexOf('/') + 1);
    Matcher m = CATEGORY_FILE.matcher(name);
    return m.matches() ? m.group(1).toLowerCase(Locale.ROOT) : null;
  }

  /**
   * What tells a changed bronze file from the one an earlier run read: the store's checksum where
   * it has one (the ETag on S3), else the modification time. Both the launcher's listing and the
   * readers record it through here, so they always agree.
   */
  public static String changeToken(String checksum, long lastModifiedMillis) {
    return checksum != null && !checksum.isEmpty()
        ? "etag:" + checksum
        : "mtime:" + lastModifiedMillis;
  }

  /** The change token of a file as Beam matched it. */
  public static String changeToken(MatchResult.Metadata m) {
    return changeToken(m.checksum(), m.lastModifiedMillis());
  }
}
