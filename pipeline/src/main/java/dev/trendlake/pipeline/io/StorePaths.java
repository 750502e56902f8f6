package dev.trendlake.pipeline.io;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.regex.Pattern;

/**
 * The one place that tells a local path from an object-store URI and normalises both: local paths
 * (plain or {@code file://}) become absolute and normalised, URIs ({@code s3://...}) keep their
 * form without a trailing slash. Every other class asks here, so "local" means the same everywhere.
 */
public final class StorePaths {
  private StorePaths() {}

  private static final Pattern URI_SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*://.*");

  /** True for a plain path or a {@code file://} URI. */
  public static boolean isLocal(String path) {
    return !URI_SCHEME.matcher(path).matches() || path.startsWith("file://");
  }

  public static boolean isS3(String path) {
    return path.startsWith("s3://");
  }

  /** The local file system path of a local {@code path}. */
  public static Path local(String path) {
    return Paths.get(path.startsWith("file://") ? path.substring("file://".length()) : path);
  }

  /** Local paths absolute and normalised; URIs without a trailing slash. */
  public static String absolute(String path) {
    if (!isLocal(path)) {
      return stripSlash(path);
    }
    return local(path).toAbsolutePath().normalize().toString();
  }

  public static String stripSlash(String path) {
    String p = path;
    while (p.endsWith("/") && p.length() > 1 && !p.endsWith("://")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }
}
